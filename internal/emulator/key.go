package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// kind is the wire type of one field of a key or of its provider-specific
// config, and with it how the field is decoded and answered.
type kind int

const (
	kSecret     kind = iota // EnvVar/SecretVar, always present
	kSecretOpt              // *EnvVar/*SecretVar, omitted when absent
	kString                 // string, always present
	kStringOmit             // string, omitted when empty
	kBool                   // bool, always present
	kBoolOmit               // bool, omitted when false
	kStrings                // []string, omitted when empty
	kBuckets                // bedrock batch_s3_config
)

// generation is a set of server generations a field rule applies to.
type generation uint8

const (
	genV1 generation = 1 << iota // v1.5
	genV2                        // v2.x
)

type fieldSpec struct {
	name  string
	kind  kind
	only  generation // generations that know the field; zero for every one
	clear generation // generations that return it unredacted unless reference-backed
}

// configSpec describes one *_key_config object of a key, in wire order.
type configSpec struct {
	name   string
	goType string
	fields []fieldSpec
	redact bool // secret fields are masked in responses
}

var (
	azureSpec = configSpec{name: "azure_key_config", goType: "schemas.AzureKeyConfig", redact: true, fields: []fieldSpec{
		// v2 returns a literal endpoint in clear and masks only a reference-backed
		// one (raw-exchanges-v2.jsonl; ProviderConfig.Redacted in upstream
		// framework/configstore/clientconfig.go); v1.5.1 masks it.
		{name: "endpoint", kind: kSecret, clear: genV2},
		// v2 moved api_version to the per-alias config (AzureAliasCfg in
		// core/schemas/account.go): a v2 server drops it from azure_key_config
		// (raw-exchanges-v2.jsonl).
		{name: "api_version", kind: kSecretOpt, only: genV1, clear: genV1},
		{name: "client_id", kind: kSecretOpt},
		{name: "client_secret", kind: kSecretOpt},
		{name: "tenant_id", kind: kSecretOpt},
		{name: "scopes", kind: kStrings},
	}}
	vertexSpec = configSpec{name: "vertex_key_config", goType: "schemas.VertexKeyConfig", redact: true, fields: []fieldSpec{
		{name: "project_id", kind: kSecret},
		{name: "project_number", kind: kSecret},
		{name: "region", kind: kSecret},
		{name: "auth_credentials", kind: kSecret},
		{name: "force_single_region", kind: kBoolOmit, only: genV2},
	}}
	bedrockSpec = configSpec{name: "bedrock_key_config", goType: "schemas.BedrockKeyConfig", redact: true, fields: []fieldSpec{
		{name: "access_key", kind: kSecret},
		{name: "secret_key", kind: kSecret},
		{name: "session_token", kind: kSecretOpt},
		{name: "region", kind: kSecretOpt},
		{name: "arn", kind: kSecretOpt},
		{name: "role_arn", kind: kSecretOpt},
		{name: "external_id", kind: kSecretOpt},
		{name: "session_name", kind: kSecretOpt},
		// guess: masked like the other fields. An upstream v2 copy newer than
		// the recorded prerelease answers bedrock and bedrock_mantle
		// project_id as stored, in clear ("Mantle project ID is an
		// identifier, not a credential", ProviderConfig.Redacted in
		// framework/configstore/clientconfig.go); no recording shows it.
		{name: "project_id", kind: kSecretOpt, only: genV2},
		{name: "batch_s3_config", kind: kBuckets},
	}}
	mantleSpec = configSpec{name: "bedrock_mantle_key_config", goType: "schemas.BedrockMantleKeyConfig", redact: true, fields: []fieldSpec{
		{name: "access_key", kind: kSecret},
		{name: "secret_key", kind: kSecret},
		{name: "session_token", kind: kSecretOpt},
		{name: "region", kind: kSecretOpt},
		{name: "role_arn", kind: kSecretOpt},
		{name: "external_id", kind: kSecretOpt},
		{name: "session_name", kind: kSecretOpt},
		{name: "project_id", kind: kSecretOpt}, // guess: masked, see bedrockSpec
	}}
	replicateSpec = configSpec{name: "replicate_key_config", goType: "schemas.ReplicateKeyConfig", fields: []fieldSpec{
		{name: "use_deployments_endpoint", kind: kBool},
	}}
	vllmSpec = configSpec{name: "vllm_key_config", goType: "schemas.VLLMKeyConfig", redact: true, fields: []fieldSpec{
		{name: "url", kind: kSecret},
		{name: "model_name", kind: kString},
	}}
	ollamaSpec = configSpec{name: "ollama_key_config", goType: "schemas.OllamaKeyConfig", redact: true, fields: []fieldSpec{
		{name: "url", kind: kSecret},
	}}
	sglSpec = configSpec{name: "sgl_key_config", goType: "schemas.SGLKeyConfig", redact: true, fields: []fieldSpec{
		{name: "url", kind: kSecret},
	}}
)

// keyField is one top-level member of schemas.Key: how a member that is
// present and not null is decoded into a key, and how the key answers it.
type keyField struct {
	name   string
	only   generation                                         // generations that know the field; zero for every one
	spec   *configSpec                                        // set for a *_key_config object
	parse  func(s *Server, src []byte, f field, k *key) error // src is the whole body, f the member
	render func(s *Server, k *key) (v any, ok bool)           // ok false omits the member
}

// keyFields are the top-level key fields in wire order, which is also the
// order parseKey decodes them in (the first mismatch is the one reported).
// A field nothing else reads is one plainField entry; a field that handlers
// or state read is a member of key as well.
var keyFields = []keyField{
	memberField("id", kString, 0, func(k *key) *string { return &k.id }),
	memberField("name", kString, 0, func(k *key) *string { return &k.name }),
	memberField("value", kSecret, 0, func(k *key) *secret { return &k.value }),
	listField("models", "schemas.WhiteList", func(k *key) *[]string { return &k.models }),
	listField("blacklisted_models", "schemas.BlackList", func(k *key) *[]string { return &k.blacklist }),
	{
		name:   "weight",
		parse:  func(_ *Server, _ []byte, f field, k *key) (err error) { k.weight, err = asFloat(f); return err },
		render: func(_ *Server, k *key) (any, bool) { return k.weight, true },
	},
	{
		name: "aliases",
		parse: func(s *Server, src []byte, f field, k *key) (err error) {
			k.aliases, err = s.parseAliases(src, f)
			return err
		},
		render: func(_ *Server, k *key) (any, bool) { return renderAliases(k.aliases), len(k.aliases) > 0 },
	},
	// v1.5.1 puts replicate before vllm, v2 adds bedrock_mantle and moves
	// replicate after vllm.
	configField(&azureSpec, 0),
	configField(&vertexSpec, 0),
	configField(&bedrockSpec, 0),
	configField(&mantleSpec, genV2),
	configField(&replicateSpec, genV1),
	configField(&vllmSpec, 0),
	configField(&replicateSpec, genV2),
	configField(&ollamaSpec, 0),
	configField(&sglSpec, 0),
	{
		name:   "enabled",
		parse:  func(_ *Server, _ []byte, f field, k *key) (err error) { k.enabled, err = asBool(f); return err },
		render: func(_ *Server, k *key) (any, bool) { return k.enabled, k.enabled != nil },
	},
	memberField("use_for_batch_api", kBool, 0, func(k *key) *bool { return &k.batch }),
	// v2 answers use_anthropic_endpoints on every key, false when never set
	// (raw-exchanges-v2.jsonl; the column defaults to false).
	memberField("use_anthropic_endpoints", kBool, genV2, func(k *key) *bool { return &k.anthropic }),
	memberField("config_hash", kStringOmit, 0, func(k *key) *string { return &k.configHash }),
	memberField("status", kStringOmit, 0, func(k *key) *string { return &k.status }),
	memberField("description", kStringOmit, 0, func(k *key) *string { return &k.description }),
}

// plainField is a field kept in key.plain under its name, coded by kind like
// a config field. Its kind must not be a secret one: PUT's echo merge
// (mergeEcho) restores only value and config secrets.
func plainField(name string, kd kind, only generation) keyField {
	return keyField{
		name: name,
		only: only,
		parse: func(s *Server, src []byte, f field, k *key) (err error) {
			k.plain[name], err = s.parseValue(src, f, kd)
			return err
		},
		render: func(s *Server, k *key) (any, bool) {
			v, set := k.plain[name]
			return s.renderValue(kd, v, set, false)
		},
	}
}

// memberField is a field kept in the member of key that at returns, coded by
// kind like a config field; T must be the type that kind decodes to, and the
// kind one that is answered whether or not it was ever sent.
func memberField[T any](name string, kd kind, only generation, at func(*key) *T) keyField {
	return keyField{
		name: name,
		only: only,
		parse: func(s *Server, src []byte, f field, k *key) error {
			v, err := s.parseValue(src, f, kd)
			if err != nil {
				return err
			}
			t, ok := v.(T)
			if !ok {
				panic(fmt.Sprintf("emulator: key field %s: kind %d decodes to %T", name, kd, v))
			}
			*at(k) = t
			return nil
		},
		render: func(s *Server, k *key) (any, bool) { return s.renderValue(kd, *at(k), true, false) },
	}
}

// listField is a model list: answered as [] when never sent, and named by
// goType in mismatch errors.
func listField(name, goType string, at func(*key) *[]string) keyField {
	return keyField{
		name: name,
		parse: func(_ *Server, src []byte, f field, k *key) (err error) {
			*at(k), err = asStrings(src, f, goType)
			return err
		},
		render: func(_ *Server, k *key) (any, bool) { return nonNil(*at(k)), true },
	}
}

// configField is the *_key_config object that spec describes.
func configField(spec *configSpec, only generation) keyField {
	return keyField{
		name: spec.name,
		only: only,
		spec: spec,
		parse: func(s *Server, src []byte, f field, k *key) error {
			c, err := s.parseConfig(src, f, spec)
			if err != nil {
				return err
			}
			k.configs[spec.name] = c
			return nil
		},
		render: func(s *Server, k *key) (any, bool) {
			c, ok := k.configs[spec.name]
			if !ok || c == nil {
				return nil, false
			}
			return s.renderConfig(spec, c), true
		},
	}
}

// bucket is one entry of bedrock batch_s3_config.buckets.
type bucket struct {
	BucketName string `json:"bucket_name"`
	Prefix     string `json:"prefix,omitempty"`
	IsDefault  bool   `json:"is_default,omitempty"`
}

// config holds the fields that were sent for one *_key_config object; the
// value types are secret, string, bool, []string and []bucket.
type config map[string]any

// alias is one entry of a key's aliases map: a target model id, or (v2) a
// rich alias object kept as sent.
type alias struct {
	target string
	obj    json.RawMessage
}

// key is a stored provider key.
type key struct {
	id, name    string
	value       secret
	models      []string
	blacklist   []string
	weight      float64
	aliases     map[string]alias
	configs     map[string]config
	enabled     *bool
	batch       bool
	anthropic   bool // v2 use_anthropic_endpoints
	configHash  string
	status      string
	description string
	plain       map[string]any // plainField values by name
	unknown     []field        // fields this version does not know (KeepUnknownKeyFields)
	created     time.Time
}

// gen is the server's generation, for the rules of fieldSpec and keyField.
func (s *Server) gen() generation {
	if s.v2 {
		return genV2
	}
	return genV1
}

// knows reports whether this server decodes and returns a field restricted
// to the generations in only (zero: known to every generation).
func (s *Server) knows(only generation) bool { return only == 0 || only&s.gen() != 0 }

// inClear reports whether fs of spec is returned unredacted (a
// reference-backed value is masked all the same).
func (s *Server) inClear(spec *configSpec, fs fieldSpec) bool {
	return !spec.redact || fs.clear&s.gen() != 0
}

// knownKeyFields lists the top-level key fields this server version knows,
// in wire order.
func (s *Server) knownKeyFields() []keyField {
	out := make([]keyField, 0, len(keyFields))
	for _, kf := range keyFields {
		if s.knows(kf.only) {
			out = append(out, kf)
		}
	}
	return out
}

func (s *Server) parseSecret(raw []byte) secret {
	if s.v2 {
		return parseSecretV2(raw)
	}
	return parseSecretV1(raw)
}

// parseKey decodes a key body that has already passed validate.
func (s *Server) parseKey(src []byte) (*key, error) {
	top, ok, err := asObject(src, field{raw: src, pos: firstNonSpace(src)}, "schemas.Key")
	if err != nil {
		return nil, err
	}
	if !ok {
		return &key{}, nil
	}
	k := &key{configs: map[string]config{}, plain: map[string]any{}}
	fields := s.knownKeyFields()
	for _, kf := range fields {
		// A null member decodes like an absent one.
		f, ok := lookup(top, kf.name)
		if !ok || isNull(f.raw) {
			continue
		}
		if err := kf.parse(s, src, f, k); err != nil {
			return nil, err
		}
	}
	if s.opts.KeepUnknownKeyFields {
		names := make([]string, len(fields))
		for i, kf := range fields {
			names[i] = kf.name
		}
		for _, f := range top {
			if known(f.name, names) {
				continue
			}
			k.unknown = slices.DeleteFunc(k.unknown, func(u field) bool { return u.name == f.name })
			k.unknown = append(k.unknown, f)
		}
	}
	return k, nil
}

func firstNonSpace(src []byte) int {
	sc := &scanner{s: src}
	sc.ws()
	return sc.i
}

func (s *Server) parseAliases(src []byte, f field) (map[string]alias, error) {
	goType := "map[string]string"
	if s.v2 {
		goType = "schemas.KeyAliases"
	}
	members, ok, err := asObject(src, f, goType)
	if err != nil || !ok {
		return nil, err
	}
	out := map[string]alias{}
	for _, m := range members {
		if s.v2 && m.raw[0] == '{' {
			var probe struct {
				ModelID string `json:"model_id"`
			}
			if json.Unmarshal(m.raw, &probe) != nil {
				return nil, &mismatchError{pos: m.pos, goType: "schemas.AliasConfig"}
			}
			out[m.name] = alias{target: probe.ModelID, obj: json.RawMessage(m.raw)}
			continue
		}
		t, err := asString(m)
		if err != nil {
			return nil, err
		}
		out[m.name] = alias{target: t}
	}
	return out, nil
}

func (s *Server) parseConfig(src []byte, f field, spec *configSpec) (config, error) {
	members, ok, err := asObject(src, f, spec.goType)
	if err != nil || !ok {
		return nil, err
	}
	c := config{}
	for _, fs := range spec.fields {
		if !s.knows(fs.only) {
			continue
		}
		m, ok := lookup(members, fs.name)
		if !ok || isNull(m.raw) {
			continue
		}
		if c[fs.name], err = s.parseValue(src, m, fs.kind); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// parseValue decodes a member of kind kd that is present and not null.
func (s *Server) parseValue(src []byte, m field, kd kind) (any, error) {
	switch kd {
	case kSecret, kSecretOpt:
		return s.parseSecret(m.raw), nil
	case kString, kStringOmit:
		return asString(m)
	case kBool, kBoolOmit:
		b, err := asBool(m)
		return b != nil && *b, err
	case kStrings:
		return asStrings(src, m, "[]string")
	case kBuckets:
		var v struct {
			Buckets []bucket `json:"buckets"`
		}
		if json.Unmarshal(m.raw, &v) != nil {
			return nil, &mismatchError{pos: m.pos, goType: "schemas.BatchS3Config"}
		}
		return v.Buckets, nil
	}
	panic(fmt.Sprintf("emulator: unknown kind %d", kd))
}

// secretAt returns a secret field of a config and whether it was set.
func (k *key) secretAt(cfg, name string) (secret, bool) {
	v, ok := k.configs[cfg][name].(secret)
	return v, ok
}

// renderKey builds the key as responses show it: redacted, in wire order.
func (s *Server) renderKey(k *key) object {
	var o object
	for _, kf := range s.knownKeyFields() {
		if v, ok := kf.render(s, k); ok {
			o = append(o, kv{kf.name, v})
		}
	}
	for _, u := range k.unknown {
		o = append(o, kv{u.name, json.RawMessage(u.raw)})
	}
	return o
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// renderAliases emits aliases sorted by name; a v2 object carrying nothing but
// model_id collapses to the legacy string form, as the server does.
func renderAliases(a map[string]alias) object {
	var o object
	for _, name := range sortedKeys(a) {
		v := a[name]
		if v.obj == nil || onlyModelID(v.obj) {
			o = append(o, kv{name, v.target})
			continue
		}
		o = append(o, kv{name, v.obj})
	}
	return o
}

func onlyModelID(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	_, ok := m["model_id"]
	return ok && len(m) == 1
}

func (s *Server) renderConfig(spec *configSpec, c config) object {
	o := object{}
	for _, fs := range spec.fields {
		if !s.knows(fs.only) {
			continue
		}
		v, set := c[fs.name]
		if w, ok := s.renderValue(fs.kind, v, set, s.inClear(spec, fs)); ok {
			o = append(o, kv{fs.name, w})
		}
	}
	return o
}

// renderValue is how a member of kind kd answers, given its stored value v
// (set false when it was never sent) and whether a secret is shown in clear;
// ok false omits the member.
func (s *Server) renderValue(kd kind, v any, set, inClear bool) (w any, ok bool) {
	switch kd {
	case kSecret, kSecretOpt:
		if !set && kd == kSecretOpt {
			return nil, false
		}
		sec, _ := v.(secret)
		return sec.shown(s.env, inClear).wire(s.v2), true
	case kString, kStringOmit:
		str, _ := v.(string)
		return str, str != "" || kd == kString
	case kBool, kBoolOmit:
		b, _ := v.(bool)
		return b, b || kd == kBool
	case kStrings:
		l, _ := v.([]string)
		return l, len(l) > 0
	case kBuckets:
		if !set {
			return nil, false
		}
		b := object{}
		if l, _ := v.([]bucket); len(l) > 0 {
			b = append(b, kv{"buckets", l})
		}
		return b, true
	}
	panic(fmt.Sprintf("emulator: unknown kind %d", kd))
}

// mergeEcho applies PUT's treatment of echoed redactions: every secret of
// the incoming key that stands for the stored one is replaced by it.
func (s *Server) mergeEcho(in, old *key) {
	if keepStored(in.value, old.value, s.env, false, s.v2) {
		in.value = old.value
	}
	for _, kf := range s.knownKeyFields() {
		spec := kf.spec
		c, ok := in.configs[kf.name]
		if spec == nil || !ok || c == nil {
			continue
		}
		for _, fs := range spec.fields {
			incoming, ok := c[fs.name].(secret)
			if !ok {
				continue
			}
			stored, ok := old.secretAt(spec.name, fs.name)
			if !ok {
				continue
			}
			if keepStored(incoming, stored, s.env, s.inClear(spec, fs), s.v2) {
				c[fs.name] = stored
			}
		}
	}
}

// validateList applies WhiteList/BlackList validation: no "*" next to other
// values, no case-insensitive duplicates.
func validateList(l []string, what string) error {
	if len(l) > 1 && slices.ContainsFunc(l, func(v string) bool { return v == "*" }) {
		return fmt.Errorf("wildcard '*' cannot be used with other values in the %s", what)
	}
	seen := map[string]bool{}
	for _, v := range l {
		n := strings.ToLower(v)
		if seen[n] {
			return fmt.Errorf("duplicate value '%s' in %s", v, what)
		}
		seen[n] = true
	}
	return nil
}

func validateAliases(a map[string]alias) error {
	for _, name := range sortedKeys(a) {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("alias source cannot be empty")
		}
		if strings.TrimSpace(a[name].target) == "" {
			return fmt.Errorf("alias %q: model_id cannot be empty", name)
		}
	}
	return nil
}

// valueMayBeEmpty lists the provider types whose keys carry their credentials
// in a config object rather than in value.
func (s *Server) valueMayBeEmpty(base string) bool {
	switch base {
	case "azure", "bedrock", "vertex", "vllm", "ollama", "sgl":
		return true
	case "bedrock_mantle":
		return s.v2
	}
	return false
}

// urlRequired checks that ollama and sgl keys name their server.
func (s *Server) urlRequired(base string, k *key) error {
	switch base {
	case "ollama":
		if u, _ := k.secretAt("ollama_key_config", "url"); u.resolve(s.env) == "" {
			return fmt.Errorf("ollama_key_config.url is required for Ollama keys")
		}
	case "sgl":
		if u, _ := k.secretAt("sgl_key_config", "url"); u.resolve(s.env) == "" {
			return fmt.Errorf("sgl_key_config.url is required for SGL keys")
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
