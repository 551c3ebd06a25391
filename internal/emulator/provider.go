package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// Standard provider names known to each server version.
var (
	standardV1 = []string{"openai", "azure", "anthropic", "bedrock", "cohere", "vertex", "mistral", "ollama", "groq",
		"sgl", "parasail", "perplexity", "cerebras", "gemini", "openrouter", "elevenlabs", "huggingface", "nebius", "xai",
		"replicate", "vllm", "runway", "fireworks"}
	standardV2 = append(slices.Clone(standardV1), "bedrock_mantle", "deepseek", "opencode-go", "opencode-zen",
		"runware", "sarvam", "wafer", "zro", "databricks")
)

// network is a provider's network_config. Backoffs are milliseconds, as on
// the wire.
type network struct {
	baseURL      string
	headers      map[string]string
	timeout      int64
	retries      int64
	backoffInit  int64
	backoffMax   int64
	insecure     bool
	caCert       *secret // nil: absent or null
	streamIdle   int64
	keepAlive    int64 // v2 keep_alive_timeout_in_seconds
	maxConns     int64
	enforceHTTP2 bool
	allowPrivate bool // v2 allow_private_network
}

// defaultNetwork is what a provider created without network_config reports.
// v2 raised the request timeout from 30 to 300 s and the stream idle timeout
// from 60 to 120 s, and added a 30 s keep-alive timeout (raw-exchanges-v2.jsonl).
func (s *Server) defaultNetwork() network {
	if s.v2 {
		return network{timeout: 300, backoffInit: 500, backoffMax: 5000, streamIdle: 120, keepAlive: 30, maxConns: 5000}
	}
	return network{timeout: 30, backoffInit: 500, backoffMax: 5000, streamIdle: 60, maxConns: 5000}
}

type custom struct {
	keyless   bool
	base      string
	allowed   map[string]bool // nil: absent (every request type allowed)
	overrides json.RawMessage
}

// provider is a stored provider with its keys in creation order.
type provider struct {
	name        string
	network     *network // nil: defaults
	conc, buf   int64    // both 0: defaults
	proxy       *proxyConf
	sendReq     bool
	sendResp    bool
	storeRaw    bool
	custom      *custom
	openai      *bool // openai_config.disable_store; nil: no openai_config
	status      string
	description string
	keys        []*key
}

// providerPayload is a decoded POST/PUT provider body; nil members were
// absent (or null).
type providerPayload struct {
	name      string
	network   *network
	conc      *[2]int64
	proxy     *proxyConf
	sendReq   *bool
	sendResp  *bool
	storeRaw  *bool
	custom    *custom
	openai    *bool
	hasKeys   bool
	present   map[string]bool // members sent, null included (v2 PUT: null clears)
	nullValue map[string]bool
}

func (s *Server) parseProviderPayload(src []byte) (*providerPayload, error) {
	top, ok, err := asObject(src, field{raw: src, pos: firstNonSpace(src)}, "handlers.providerCreatePayload")
	if err != nil {
		return nil, err
	}
	p := &providerPayload{present: map[string]bool{}, nullValue: map[string]bool{}}
	if !ok {
		return p, nil
	}
	get := func(name string) (field, bool) {
		f, ok := lookup(top, name)
		if ok {
			p.present[name] = true
			p.nullValue[name] = isNull(f.raw)
		}
		return f, ok && !isNull(f.raw)
	}
	if f, ok := get("provider"); ok {
		if p.name, err = asString(f); err != nil {
			return nil, err
		}
	}
	if f, ok := get("network_config"); ok {
		if p.network, err = s.parseNetwork(src, f); err != nil {
			return nil, err
		}
	}
	if f, ok := get("concurrency_and_buffer_size"); ok {
		members, _, err := asObject(src, f, "schemas.ConcurrencyAndBufferSize")
		if err != nil {
			return nil, err
		}
		var cb [2]int64
		for i, name := range []string{"concurrency", "buffer_size"} {
			if m, ok := lookup(members, name); ok {
				if cb[i], err = asInt(m); err != nil {
					return nil, err
				}
			}
		}
		p.conc = &cb
	}
	if f, ok := get("proxy_config"); ok {
		if p.proxy, err = s.parseProxy(src, f); err != nil {
			return nil, err
		}
	}
	if f, ok := get("openai_config"); ok {
		if p.openai, err = parseOpenAI(src, f); err != nil {
			return nil, err
		}
	}
	for _, b := range []struct {
		name string
		dst  **bool
	}{{"send_back_raw_request", &p.sendReq}, {"send_back_raw_response", &p.sendResp}, {"store_raw_request_response", &p.storeRaw}} {
		if f, ok := get(b.name); ok {
			if *b.dst, err = asBool(f); err != nil {
				return nil, err
			}
		}
	}
	if f, ok := get("custom_provider_config"); ok {
		members, _, err := asObject(src, f, "schemas.CustomProviderConfig")
		if err != nil {
			return nil, err
		}
		c := &custom{}
		if m, ok := lookup(members, "is_key_less"); ok {
			b, err := asBool(m)
			if err != nil {
				return nil, err
			}
			c.keyless = b != nil && *b
		}
		if m, ok := lookup(members, "base_provider_type"); ok {
			if c.base, err = asString(m); err != nil {
				return nil, err
			}
		}
		if m, ok := lookup(members, "allowed_requests"); ok && !isNull(m.raw) {
			if c.allowed, err = s.parseAllowed(src, m); err != nil {
				return nil, err
			}
		}
		if m, ok := lookup(members, "request_path_overrides"); ok && !isNull(m.raw) {
			c.overrides = json.RawMessage(m.raw)
		}
		p.custom = c
	}
	_, p.hasKeys = get("keys")
	return p, nil
}

func (s *Server) parseNetwork(src []byte, f field) (*network, error) {
	members, _, err := asObject(src, f, "schemas.NetworkConfig")
	if err != nil {
		return nil, err
	}
	n := &network{}
	for _, i := range []struct {
		name string
		dst  *int64
	}{
		{"default_request_timeout_in_seconds", &n.timeout}, {"max_retries", &n.retries},
		{"retry_backoff_initial", &n.backoffInit}, {"retry_backoff_max", &n.backoffMax},
		{"stream_idle_timeout_in_seconds", &n.streamIdle}, {"keep_alive_timeout_in_seconds", &n.keepAlive},
		{"max_conns_per_host", &n.maxConns},
	} {
		if m, ok := lookup(members, i.name); ok {
			if *i.dst, err = asInt(m); err != nil {
				return nil, err
			}
		}
	}
	if m, ok := lookup(members, "base_url"); ok {
		if n.baseURL, err = asString(m); err != nil {
			return nil, err
		}
	}
	if m, ok := lookup(members, "extra_headers"); ok && !isNull(m.raw) {
		if json.Unmarshal(m.raw, &n.headers) != nil {
			return nil, &mismatchError{pos: m.pos, goType: "map[string]string"}
		}
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"insecure_skip_verify", &n.insecure}, {"enforce_http2", &n.enforceHTTP2}, {"allow_private_network", &n.allowPrivate}} {
		if m, ok := lookup(members, b.name); ok {
			v, err := asBool(m)
			if err != nil {
				return nil, err
			}
			*b.dst = v != nil && *v
		}
	}
	// ca_cert_pem is an EnvVar (v1.5) or SecretVar (v2) like a key's value:
	// a literal, an "env." (v2: or "vault.") reference, or the object forms.
	// guess: from source; the recordings only show a literal PEM.
	if m, ok := lookup(members, "ca_cert_pem"); ok && !isNull(m.raw) {
		sec := s.parseSecret(m.raw)
		n.caCert = &sec
	}
	return n, nil
}

// renderCACert is network_config.ca_cert_pem as a response shows it, and
// whether it is shown at all. Bifrost redacts it like a key's value
// (NetworkConfig.Redacted() calls EnvVar/SecretVar.Redacted() when the value
// is set) but encodes it as a plain string, not as the wrapper object
// (NetworkConfig.MarshalJSON, ca_cert_pem string with omitempty): a literal
// answers its mask (4 + 24 '*' + 4, or as many '*' as it has characters up to
// 8), a reference answers itself ("env.NAME", v2 also "vault.path"), and an
// empty literal is left out. Sources: the measurement on v1.5.1 in
// semantics.md ("----************************----" for a PEM); v1.5
// core/schemas/provider.go (nagyist/ai-bifrost 6a5a316: CACertPEM *EnvVar,
// MarshalJSON writes EnvVar when IsFromEnv, else GetValue); v2
// core/schemas/provider.go of the SecretVar era (CACertPEM *SecretVar,
// MarshalJSON writes SecretVarAsString: the ref when IsFromSecret, else
// GetValue) with SecretVar.Redacted in core/schemas/secretvar.go. The v2
// rendering is read from source only: no v2 recording carries a certificate.
func renderCACert(sec *secret, v2 bool) (string, bool) {
	if sec == nil {
		return "", false
	}
	var out string
	switch {
	case !v2 && sec.fromEnv:
		// guess (from source): v1.5 answers env_var whatever its form,
		// even without the prefix.
		out = sec.ref
	case v2 && (sec.typ == typeEnv || sec.typ == typeVault):
		// guess (from source), as the v2 mask below.
		out = sec.ref
	default:
		out = bifrost.Mask(sec.val)
	}
	return out, out != ""
}

// mergeNetworkEcho is PUT's restoration of an echoed ca_cert_pem (guess:
// read from the v1.5.1 handler's source, not recorded): the
// handler keeps the stored certificate when the one sent is
// redacted-looking (a mask, a placeholder, or a reference) and equal to what
// the server currently answers for it (nc.CACertPEM.IsRedacted() &&
// nc.CACertPEM.Equals(oldRedacted.CACertPEM) in updateProvider of
// transports/bifrost-http/handlers/providers.go, v1.5 and v2 alike, unlike
// v2's key merge); anything else is stored as sent, a wrong mask included.
// in is the network_config of the request, old the stored one.
func (s *Server) mergeNetworkEcho(in, old *network) {
	if in == nil || old == nil || in.caCert == nil || old.caCert == nil {
		return
	}
	got, cur := *in.caCert, old.caCert.shown(s.env, false)
	looksRedacted := got.fromEnv || got.backed() || bifrost.LooksRedacted(got.val)
	if looksRedacted && got.resolved(s.env) == cur {
		in.caCert = old.caCert
	}
}

// Retry backoff bounds, in milliseconds.
const (
	minBackoff = 100
	maxBackoff = 1000000
)

func validateBackoff(n *network) error {
	ms := func(v int64) time.Duration { return time.Duration(v) * time.Millisecond }
	for _, b := range []struct {
		name string
		v    int64
	}{{"initial", n.backoffInit}, {"max", n.backoffMax}} {
		if b.v > 0 && b.v < minBackoff {
			return fmt.Errorf("retry backoff %s must be at least %v", b.name, ms(minBackoff))
		}
		if b.v > maxBackoff {
			return fmt.Errorf("retry backoff %s must be at most %v", b.name, ms(maxBackoff))
		}
	}
	if n.backoffInit > 0 && n.backoffMax > 0 && n.backoffInit > n.backoffMax {
		return fmt.Errorf("retry backoff initial must be less than or equal to retry backoff max")
	}
	return nil
}

// validateConcurrency applies the handler's checks on concurrency_and_buffer_size.
func validateConcurrency(cb [2]int64) string {
	switch {
	case cb[0] == 0:
		return "Concurrency must be greater than 0"
	case cb[1] == 0:
		return "Buffer size must be greater than 0"
	case cb[0] > cb[1]:
		return "Concurrency must be less than or equal to buffer size"
	}
	return ""
}

func (s *Server) isStandard(name string) bool {
	if s.v2 {
		return slices.Contains(standardV2, name)
	}
	return slices.Contains(standardV1, name)
}

// baseType is the provider type whose rules a provider's keys follow.
func (p *provider) baseType() string {
	if p.custom != nil && p.custom.base != "" {
		return p.custom.base
	}
	return p.name
}

func (p *provider) keyless() bool { return p.custom != nil && p.custom.keyless }

func renderNetwork(n network, v2 bool) object {
	o := object{}
	if n.baseURL != "" {
		o = append(o, kv{"base_url", n.baseURL})
	}
	if len(n.headers) > 0 {
		h := object{}
		for _, name := range sortedKeys(n.headers) {
			h = append(h, kv{name, n.headers[name]})
		}
		o = append(o, kv{"extra_headers", h})
	}
	o = append(o,
		kv{"default_request_timeout_in_seconds", n.timeout},
		kv{"max_retries", n.retries},
		kv{"retry_backoff_initial", n.backoffInit},
		kv{"retry_backoff_max", n.backoffMax})
	if n.insecure {
		o = append(o, kv{"insecure_skip_verify", true})
	}
	if ca, ok := renderCACert(n.caCert, v2); ok {
		o = append(o, kv{"ca_cert_pem", ca})
	}
	if n.streamIdle != 0 {
		o = append(o, kv{"stream_idle_timeout_in_seconds", n.streamIdle})
	}
	if v2 && n.keepAlive != 0 {
		o = append(o, kv{"keep_alive_timeout_in_seconds", n.keepAlive})
	}
	if n.maxConns != 0 {
		o = append(o, kv{"max_conns_per_host", n.maxConns})
	}
	if n.enforceHTTP2 {
		o = append(o, kv{"enforce_http2", true})
	}
	if v2 && n.allowPrivate {
		o = append(o, kv{"allow_private_network", true})
	}
	return o
}

// renderProvider builds a ProviderResponse; providerStatus is "active" for
// configured providers and "" for the body DELETE answers.
func (s *Server) renderProvider(p *provider, providerStatus string) object {
	n := s.defaultNetwork()
	if p.network != nil {
		n = *p.network
	}
	conc, buf := p.conc, p.buf
	if conc == 0 && buf == 0 {
		conc, buf = 1000, 5000
	}
	if providerStatus == "" {
		n, conc, buf = network{}, 0, 0
	}
	o := object{
		{"name", p.name},
		{"network_config", renderNetwork(n, s.v2)},
		{"concurrency_and_buffer_size", object{{"concurrency", conc}, {"buffer_size", buf}}},
		{"proxy_config", s.renderProxy(p.proxy)},
		{"send_back_raw_request", p.sendReq},
		{"send_back_raw_response", p.sendResp},
		{"store_raw_request_response", p.storeRaw},
	}
	if c := p.custom; c != nil {
		co := object{{"is_key_less", c.keyless}, {"base_provider_type", c.base}}
		if c.allowed != nil {
			co = append(co, kv{"allowed_requests", s.renderAllowed(c.allowed)})
		}
		if c.overrides != nil {
			co = append(co, kv{"request_path_overrides", c.overrides})
		}
		o = append(o, kv{"custom_provider_config", co})
	}
	if p.openai != nil {
		o = append(o, kv{"openai_config", object{{"disable_store", *p.openai}}})
	}
	o = append(o, kv{"provider_status", providerStatus})
	if p.status != "" {
		o = append(o, kv{"status", p.status})
	}
	if p.description != "" {
		o = append(o, kv{"description", p.description})
	}
	return o
}
