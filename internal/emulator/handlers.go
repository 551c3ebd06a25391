package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
)

const (
	statusUnknown       = "unknown"
	statusFailed        = "list_models_failed"
	msgProviderNotFound = "Provider not found: not found"
	msgKeyNotFound      = "Provider key not found: not found"
	msgEmptyValue       = "Key value must not be empty"
	msgDuplicateV2      = "API key names must be unique across providers. Choose a different name"
	dupName             = "a record with this name already exists. Please use a different value"
	dupID               = "a record with this key id already exists. Please use a different value"
	dbLocked            = "database is locked"
)

// Discovery outcomes the real server reports when it cannot reach upstream.
const (
	descNetwork   = "network error occurred while connecting to provider API (DNS lookup, connection refused, etc.)"
	descVertex    = "error getting token (api key auth not supported for list models)"
	descAzureNone = "no credentials provided and DefaultAzureCredential failed to get token"
)

// outcome is what model discovery writes on a key (or a keyless provider);
// apply false leaves the current status and description alone.
type outcome struct {
	status, description string
	apply               bool
}

// SetDiscovery fixes the outcome of model discovery for every enabled key of
// provider (and for provider itself if it is keyless), e.g. ("success", "")
// to mimic a reachable upstream or ("list_models_failed", "bad key").
func (s *Server) SetDiscovery(provider, status, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.discovery[provider] = outcome{status: status, description: description, apply: true}
}

// outcomeFor reproduces the offline results recorded from a real server; k is
// nil for a keyless provider.
func (s *Server) outcomeFor(p *provider, k *key) outcome {
	if o, ok := s.discovery[p.name]; ok {
		return o
	}
	switch p.baseType() {
	case "vertex":
		return outcome{statusFailed, descVertex, true}
	case "azure":
		if k != nil {
			if cs, ok := k.secretAt("azure_key_config", "client_secret"); ok && cs.resolve(s.env) != "" {
				return outcome{}
			}
			if k.value.resolve(s.env) == "" {
				return outcome{statusFailed, descAzureNone, true}
			}
		}
	}
	return outcome{statusFailed, descNetwork, true}
}

// discover runs model discovery over every enabled key of p; disabled keys
// keep their status.
func (s *Server) discover(p *provider) {
	for _, k := range p.keys {
		if k.enabled != nil && !*k.enabled {
			continue
		}
		if o := s.outcomeFor(p, k); o.apply {
			k.status, k.description = o.status, o.description
		}
	}
}

// discoverProvider runs discovery after a provider write: keyless providers
// get a provider-level status, others re-probe their keys.
func (s *Server) discoverProvider(p *provider) {
	if !p.keyless() {
		s.discover(p)
		return
	}
	if o := s.outcomeFor(p, nil); o.apply {
		p.status, p.description = o.status, o.description
	}
}

// lagging reports whether k is still invisible to reads (SetReadLag).
func (s *Server) lagging(k *key) bool {
	return s.readLag > 0 && time.Since(k.created) < s.readLag
}

func (s *Server) findKey(p *provider, id string) (int, *key) {
	for i, k := range p.keys {
		if k.id == id {
			return i, k
		}
	}
	return -1, nil
}

// conflict reports the store's unique-index violation for k, if any; self is
// the key being replaced on update. SQLite checks the most recently created
// index first, and idx_key_id was created after idx_key_name, so a retried
// create (same id, same name) reports the id.
func (s *Server) conflict(k, self *key) string {
	var others []*key
	for _, name := range sortedKeys(s.providers) {
		for _, other := range s.providers[name].keys {
			if other != self {
				others = append(others, other)
			}
		}
	}
	if self == nil && slices.ContainsFunc(others, func(o *key) bool { return o.id == k.id }) {
		return dupID
	}
	if slices.ContainsFunc(others, func(o *key) bool { return o.name == k.name }) {
		return dupName
	}
	return ""
}

func (s *Server) listProviders(*call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []any{}
	for _, name := range sortedKeys(s.providers) {
		list = append(list, s.renderProvider(s.providers[name], "active"))
	}
	return jsonReply(object{{"providers", list}, {"total", len(list)}})
}

func (s *Server) getProvider(c *call) reply {
	if c.provErr != nil {
		return s.errReply(http.StatusBadRequest, "Invalid provider: "+c.provErr.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.providers[c.provider]
	if p == nil {
		return s.errReply(http.StatusNotFound, msgProviderNotFound)
	}
	return jsonReply(s.renderProvider(p, "active"))
}

// created answers a provider write that created p: the response shows the
// status discovery set, later reads show "unknown" when there is none.
func (s *Server) created(p *provider) reply {
	rp := jsonReply(s.renderProvider(p, "active"))
	if p.status == "" {
		p.status = statusUnknown
	}
	rp.stored = true
	return rp
}

func (s *Server) createProvider(c *call) reply {
	if rp, ok := s.decodeBody(c.body); !ok {
		return rp
	}
	pl, err := s.parseProviderPayload(c.body)
	if err != nil {
		return s.badJSON(c.body, err)
	}
	if pl.name == "" {
		return s.errReply(http.StatusBadRequest, "Missing provider")
	}
	if cp := pl.custom; cp != nil {
		switch {
		case s.isStandard(pl.name):
			return s.errReply(http.StatusBadRequest, "Custom provider cannot be same as a standard provider")
		case cp.base == "":
			return s.errReply(http.StatusBadRequest, "BaseProviderType is required when CustomProviderConfig is provided")
		case !isSupportedBase(cp.base):
			return s.errReply(http.StatusBadRequest, "BaseProviderType must be a standard provider")
		}
	}
	if pl.conc != nil {
		if msg := validateConcurrency(*pl.conc); msg != "" {
			return s.errReply(http.StatusBadRequest, msg)
		}
	}
	if pl.network != nil {
		if err := validateBackoff(pl.network); err != nil {
			return s.errReply(http.StatusBadRequest, "Invalid retry backoff: "+err.Error())
		}
		if rp, ok := s.checkBaseURL(pl.network); !ok {
			return rp
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.providers[pl.name] != nil {
		return s.errReply(http.StatusConflict, fmt.Sprintf("Provider %s already exists", pl.name))
	}
	if s.lockedWrite() {
		// guess: no refused provider write is recorded; the message
		// follows the pattern of the key create's.
		return s.errReply(http.StatusInternalServerError, "Failed to add provider: failed to add provider in store: "+dbLocked)
	}
	p := &provider{name: pl.name, network: pl.network, custom: pl.custom, proxy: pl.proxy, openai: pl.openai}
	if pl.conc != nil {
		p.conc, p.buf = pl.conc[0], pl.conc[1]
	}
	p.sendReq = pl.sendReq != nil && *pl.sendReq
	p.sendResp = pl.sendResp != nil && *pl.sendResp
	p.storeRaw = pl.storeRaw != nil && *pl.storeRaw
	s.providers[p.name] = p
	if p.keyless() {
		s.discoverProvider(p)
	}
	return s.created(p)
}

// updateProvider is PUT's upsert. v1.5 replaces the optional blocks with what
// was sent (absent = cleared); v2 leaves absent blocks alone and clears on null.
// The checks run in the handler's order: concurrency, custom provider rules,
// retry backoff, then (v2) the base URL.
func (s *Server) updateProvider(c *call) reply {
	if c.provErr != nil {
		return s.errReply(http.StatusBadRequest, "Invalid provider: "+c.provErr.Error())
	}
	if rp, ok := s.decodeBody(c.body); !ok {
		return rp
	}
	pl, err := s.parseProviderPayload(c.body)
	if err != nil {
		return s.badJSON(c.body, err)
	}
	if s.v2 && pl.hasKeys {
		return s.errReply(http.StatusBadRequest, "keys are not accepted on this endpoint; use POST/PUT /api/providers/{provider}/keys[/{key_id}] to manage keys")
	}
	var cb [2]int64
	if pl.conc != nil {
		cb = *pl.conc
	}
	if msg := validateConcurrency(cb); msg != "" {
		return s.errReply(http.StatusBadRequest, msg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.providers[c.provider]
	var oldCustom *custom
	if old != nil {
		oldCustom = old.custom
	}
	// The handler validates the custom config the request carried, nil when
	// it was left out, even on v2 where leaving it out keeps the stored one.
	if err := s.validateCustomUpdate(c.provider, pl.custom, oldCustom); err != nil {
		return s.errReply(http.StatusBadRequest, "Invalid custom provider config: "+err.Error())
	}
	nc := pl.network
	if nc == nil && !s.v2 {
		nc = &network{}
	}
	if nc != nil {
		if err := validateBackoff(nc); err != nil {
			return s.errReply(http.StatusBadRequest, "Invalid retry backoff: "+err.Error())
		}
		if rp, ok := s.checkBaseURL(nc); !ok {
			return rp
		}
	}
	if s.lockedWrite() {
		// guess: no refused provider write is recorded; the message
		// follows the pattern of the key create's.
		return s.errReply(http.StatusInternalServerError, "Failed to update provider: failed to update provider config in store: "+dbLocked)
	}
	p := &provider{name: c.provider}
	if old != nil {
		*p = *old
		s.mergeProxyEcho(pl.proxy, old.proxy)
		s.mergeNetworkEcho(nc, old.network)
	}
	p.conc, p.buf = cb[0], cb[1]
	// keep reports whether a v2 PUT left the block out entirely.
	keep := func(name string) bool { return s.v2 && !pl.present[name] }
	if !keep("network_config") {
		p.network = nc
	}
	if !keep("proxy_config") {
		p.proxy = pl.proxy
	}
	if !keep("custom_provider_config") {
		p.custom = pl.custom
	}
	if !keep("openai_config") {
		p.openai = pl.openai
	}
	for _, b := range []struct {
		in  *bool
		dst *bool
	}{{pl.sendReq, &p.sendReq}, {pl.sendResp, &p.sendResp}, {pl.storeRaw, &p.storeRaw}} {
		if b.in != nil {
			*b.dst = *b.in
		}
	}
	s.providers[p.name] = p
	s.discoverProvider(p)
	if old == nil {
		return s.created(p)
	}
	rp := jsonReply(s.renderProvider(p, "active"))
	rp.stored = true
	return rp
}

// checkBaseURL applies v2's SSRF check to a network_config with a base URL.
func (s *Server) checkBaseURL(n *network) (reply, bool) {
	if !s.v2 || n.baseURL == "" {
		return reply{}, true
	}
	if err := s.validateBaseURL(n.baseURL, n.allowPrivate); err != nil {
		return s.errReply(http.StatusBadRequest, "Invalid base URL: "+err.Error()), false
	}
	return reply{}, true
}

func (s *Server) deleteProvider(c *call) reply {
	if c.provErr != nil {
		return s.errReply(http.StatusBadRequest, "Invalid provider: "+c.provErr.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// The real handler only logs a failed removal and still answers 200.
	if !s.lockedWrite() {
		delete(s.providers, c.provider)
	}
	rp := jsonReply(s.renderProvider(&provider{name: c.provider}, ""))
	rp.stored = true
	return rp
}

func (s *Server) listKeys(c *call) reply {
	if c.provErr != nil {
		return s.errReply(http.StatusBadRequest, "Invalid provider: "+c.provErr.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.providers[c.provider]
	if p == nil {
		return s.errReply(http.StatusNotFound, msgProviderNotFound)
	}
	keys := []any{}
	for _, k := range p.keys {
		if !s.lagging(k) {
			keys = append(keys, s.renderKey(k))
		}
	}
	return jsonReply(object{{"keys", keys}, {"total", len(keys)}})
}

func (s *Server) getKey(c *call) reply {
	if rp, bad := s.pathErr(c); bad {
		return rp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.providers[c.provider]; p != nil {
		if _, k := s.findKey(p, c.keyID); k != nil && !s.lagging(k) {
			return jsonReply(s.renderKey(k))
		}
	}
	return s.errReply(http.StatusNotFound, msgKeyNotFound)
}

func (s *Server) pathErr(c *call) (reply, bool) {
	if c.provErr != nil {
		return s.errReply(http.StatusBadRequest, "Invalid provider: "+c.provErr.Error()), true
	}
	if c.keyErr != nil {
		return s.errReply(http.StatusBadRequest, c.keyErr.Error()), true
	}
	return reply{}, false
}

// checkKey applies the handler-level validation shared by create and update,
// in the order each version's handler runs it.
func (s *Server) checkKey(p *provider, k *key, update bool) (reply, bool) {
	base := p.baseType()
	fail := func(msg string) (reply, bool) { return s.errReply(http.StatusBadRequest, msg), false }
	if !s.valueMayBeEmpty(base) && k.value.resolve(s.env) == "" {
		return fail(msgEmptyValue)
	}
	urlErr := s.urlRequired(base, k)
	if urlErr != nil && !update {
		return fail(urlErr.Error())
	}
	if s.modelsCheckedByHandler() {
		if err := validateList(k.models, "whitelist"); err != nil {
			return fail("Invalid models: " + err.Error())
		}
	}
	if err := validateList(k.blacklist, "blacklist"); err != nil {
		return fail("Invalid blacklisted_models: " + err.Error())
	}
	if err := validateAliases(k.aliases); err != nil {
		return fail("Invalid aliases: " + err.Error())
	}
	if urlErr != nil {
		return fail(urlErr.Error())
	}
	return reply{}, true
}

// modelsCheckedByHandler reports whether the key handlers validate models
// themselves (400 "Invalid models: …": upstream v2.2
// transports/bifrost-http/handlers/provider_keys.go) instead of leaving it to
// the config store (500: v1.5.1, and v2.0.0-prerelease3 in
// raw-exchanges-v2.jsonl).
func (s *Server) modelsCheckedByHandler() bool {
	major, minor, _ := parseVersion(s.opts.Version)
	return major > 2 || (major == 2 && minor >= 2)
}

// storeKey is the config store's part of a key write: model list validation
// (where the handler does not do it), the lock fault, then the unique indexes.
func (s *Server) storeKey(k, self *key, op string) (reply, bool) {
	prefix := fmt.Sprintf("Failed to %s provider key: failed to %s provider key in store: ", op, op)
	if !s.modelsCheckedByHandler() {
		if err := validateList(k.models, "whitelist"); err != nil {
			return s.errReply(http.StatusInternalServerError, prefix+err.Error()), false
		}
	}
	if s.lockedWrite() {
		return s.errReply(http.StatusInternalServerError, prefix+dbLocked), false
	}
	if msg := s.conflict(k, self); msg != "" {
		if s.v2 {
			return s.errReply(http.StatusConflict, msgDuplicateV2), false
		}
		return s.errReply(http.StatusInternalServerError, prefix+msg), false
	}
	return reply{}, true
}

func (s *Server) createKey(c *call) reply {
	if c.provErr != nil {
		return s.errReply(http.StatusBadRequest, "Invalid provider: "+c.provErr.Error())
	}
	if rp, ok := s.decodeBody(c.body); !ok {
		return rp
	}
	k, err := s.parseKey(c.body)
	if err != nil {
		return s.badJSON(c.body, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.providers[c.provider]
	if p == nil {
		return s.errReply(http.StatusNotFound, msgProviderNotFound)
	}
	if p.keyless() {
		return s.errReply(http.StatusBadRequest, "Cannot add keys to a keyless provider")
	}
	if rp, ok := s.checkKey(p, k, false); !ok {
		return rp
	}
	if k.id == "" {
		k.id = uuid.NewString()
	}
	if k.enabled == nil {
		t := true
		k.enabled = &t
	}
	if rp, ok := s.storeKey(k, nil, "create"); !ok {
		return rp
	}
	// v2's status column defaults to 'unknown' (upstream
	// framework/configstore/tables/key.go): a key discovery leaves alone
	// reads back "unknown" (raw-exchanges-v2.jsonl, azure key).
	if s.v2 && k.status == "" {
		k.status = statusUnknown
	}
	k.created = time.Now()
	p.keys = append(p.keys, k)
	s.discover(p)
	rp := jsonReply(s.renderKey(k))
	rp.stored = true
	return rp
}

func (s *Server) updateKey(c *call) reply {
	if rp, bad := s.pathErr(c); bad {
		return rp
	}
	if rp, ok := s.decodeBody(c.body); !ok {
		return rp
	}
	k, err := s.parseKey(c.body)
	if err != nil {
		return s.badJSON(c.body, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.providers[c.provider]
	if p == nil {
		return s.errReply(http.StatusNotFound, msgProviderNotFound)
	}
	if p.keyless() {
		return s.errReply(http.StatusBadRequest, "Cannot update keys on a keyless provider")
	}
	i, old := s.findKey(p, c.keyID)
	if old == nil {
		return s.errReply(http.StatusNotFound, msgKeyNotFound)
	}
	k.id = old.id
	s.mergeEcho(k, old)
	if s.v2 && k.configs[replicateSpec.name] == nil && old.configs[replicateSpec.name] != nil {
		k.configs[replicateSpec.name] = old.configs[replicateSpec.name]
	}
	k.configHash, k.status, k.created = old.configHash, old.status, old.created
	if rp, ok := s.checkKey(p, k, true); !ok {
		return rp
	}
	if rp, ok := s.storeKey(k, old, "update"); !ok {
		return rp
	}
	p.keys[i] = k
	s.discover(p)
	rp := jsonReply(s.renderKey(k))
	rp.stored = true
	return rp
}

func (s *Server) deleteKey(c *call) reply {
	if rp, bad := s.pathErr(c); bad {
		return rp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.providers[c.provider]
	if p == nil {
		return s.errReply(http.StatusNotFound, msgProviderNotFound)
	}
	if p.keyless() {
		return s.errReply(http.StatusBadRequest, "Cannot delete keys on a keyless provider")
	}
	i, k := s.findKey(p, c.keyID)
	if k == nil {
		return s.errReply(http.StatusNotFound, msgKeyNotFound)
	}
	rp := jsonReply(s.renderKey(k))
	if s.lockedWrite() {
		// guess: only the message's end is recorded (semantics.md,
		// Concurrency: a refused delete ends "... database is locked");
		// the prefix follows the create message's pattern.
		return s.errReply(http.StatusInternalServerError, "Failed to delete provider key: failed to delete provider key in store: "+dbLocked)
	}
	p.keys = slices.Delete(p.keys, i, i+1)
	s.discover(p)
	rp.stored = true
	return rp
}

// listAllKeys is GET /api/keys: the config store's table rows, a different
// shape from Key (no status, enabled or configs).
func (s *Server) listAllKeys(*call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	const zeroTime = "0001-01-01T00:00:00Z"
	rows := []any{}
	for _, name := range sortedKeys(s.providers) {
		for _, k := range s.providers[name].keys {
			if s.lagging(k) {
				continue
			}
			rows = append(rows, object{
				{"id", 0},
				{"name", k.name},
				{"provider_id", 0},
				{"provider", name},
				{"key_id", k.id},
				{"value", k.value.shown(s.env, false).wire(s.v2)},
				{"weight", k.weight},
				{"created_at", zeroTime},
				{"updated_at", zeroTime},
				{"config_hash", k.configHash},
				{"status", ""},
				{"models", nonNil(k.models)},
				{"blacklisted_models", []string{}},
			})
		}
	}
	return jsonReply(rows)
}
