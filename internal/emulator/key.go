package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// kind is the wire type of one field of a key's provider-specific config.
type kind int

const (
	kSecret    kind = iota // EnvVar/SecretVar, always present
	kSecretOpt             // *EnvVar/*SecretVar, omitted when absent
	kString                // string, always present
	kBool                  // bool, always present
	kBoolOmit              // bool, omitted when false
	kStrings               // []string, omitted when empty
	kBuckets               // bedrock batch_s3_config
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
	v2     bool
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
		{name: "project_id", kind: kSecretOpt, only: genV2},
		{name: "batch_s3_config", kind: kBuckets},
	}}
	mantleSpec = configSpec{name: "bedrock_mantle_key_config", goType: "schemas.BedrockMantleKeyConfig", redact: true, v2: true, fields: []fieldSpec{
		{name: "access_key", kind: kSecret},
		{name: "secret_key", kind: kSecret},
		{name: "session_token", kind: kSecretOpt},
		{name: "region", kind: kSecretOpt},
		{name: "role_arn", kind: kSecretOpt},
		{name: "external_id", kind: kSecretOpt},
		{name: "session_name", kind: kSecretOpt},
		{name: "project_id", kind: kSecretOpt},
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

	// Wire order of the config objects: v1.5.1 puts replicate before vllm,
	// v2 adds bedrock_mantle and moves replicate after vllm.
	configsV1 = []*configSpec{&azureSpec, &vertexSpec, &bedrockSpec, &replicateSpec, &vllmSpec, &ollamaSpec, &sglSpec}
	configsV2 = []*configSpec{&azureSpec, &vertexSpec, &bedrockSpec, &mantleSpec, &vllmSpec, &replicateSpec, &ollamaSpec, &sglSpec}
)

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
	unknown     []field // fields this version does not know (KeepUnknownKeyFields)
	created     time.Time
}

func (s *Server) configSpecs() []*configSpec {
	if s.v2 {
		return configsV2
	}
	return configsV1
}

// gen is the server's generation, for the rules of fieldSpec.
func (s *Server) gen() generation {
	if s.v2 {
		return genV2
	}
	return genV1
}

// knows reports whether this server decodes and returns fs.
func (s *Server) knows(fs fieldSpec) bool { return fs.only == 0 || fs.only&s.gen() != 0 }

// inClear reports whether fs of spec is returned unredacted (a
// reference-backed value is masked all the same).
func (s *Server) inClear(spec *configSpec, fs fieldSpec) bool {
	return !spec.redact || fs.clear&s.gen() != 0
}

// knownKeyFields lists the top-level key fields this server version knows.
func (s *Server) knownKeyFields() []string {
	names := []string{"id", "name", "value", "models", "blacklisted_models", "weight", "aliases",
		"enabled", "use_for_batch_api", "config_hash", "status", "description"}
	for _, c := range s.configSpecs() {
		names = append(names, c.name)
	}
	if s.v2 {
		names = append(names, "use_anthropic_endpoints")
	}
	return names
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
	k := &key{configs: map[string]config{}}
	// A null member decodes like an absent one.
	get := func(name string) (field, bool) {
		f, ok := lookup(top, name)
		return f, ok && !isNull(f.raw)
	}
	if f, ok := get("id"); ok {
		if k.id, err = asString(f); err != nil {
			return nil, err
		}
	}
	if f, ok := get("name"); ok {
		if k.name, err = asString(f); err != nil {
			return nil, err
		}
	}
	if f, ok := get("value"); ok {
		k.value = s.parseSecret(f.raw)
	}
	if f, ok := get("models"); ok {
		if k.models, err = asStrings(src, f, "schemas.WhiteList"); err != nil {
			return nil, err
		}
	}
	if f, ok := get("blacklisted_models"); ok {
		if k.blacklist, err = asStrings(src, f, "schemas.BlackList"); err != nil {
			return nil, err
		}
	}
	if f, ok := get("weight"); ok {
		if k.weight, err = asFloat(f); err != nil {
			return nil, err
		}
	}
	if f, ok := get("aliases"); ok {
		if k.aliases, err = s.parseAliases(src, f); err != nil {
			return nil, err
		}
	}
	for _, spec := range s.configSpecs() {
		if f, ok := get(spec.name); ok {
			c, err := s.parseConfig(src, f, spec)
			if err != nil {
				return nil, err
			}
			k.configs[spec.name] = c
		}
	}
	if f, ok := get("enabled"); ok {
		if k.enabled, err = asBool(f); err != nil {
			return nil, err
		}
	}
	if f, ok := get("use_for_batch_api"); ok {
		b, err := asBool(f)
		if err != nil {
			return nil, err
		}
		k.batch = b != nil && *b
	}
	if s.v2 {
		if f, ok := get("use_anthropic_endpoints"); ok {
			b, err := asBool(f)
			if err != nil {
				return nil, err
			}
			k.anthropic = b != nil && *b
		}
	}
	for _, m := range []struct {
		name string
		dst  *string
	}{{"config_hash", &k.configHash}, {"status", &k.status}, {"description", &k.description}} {
		if f, ok := get(m.name); ok {
			if *m.dst, err = asString(f); err != nil {
				return nil, err
			}
		}
	}
	if s.opts.KeepUnknownKeyFields {
		names := s.knownKeyFields()
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
	if spec.v2 && !s.v2 {
		return nil, nil
	}
	members, ok, err := asObject(src, f, spec.goType)
	if err != nil || !ok {
		return nil, err
	}
	c := config{}
	for _, fs := range spec.fields {
		if !s.knows(fs) {
			continue
		}
		m, ok := lookup(members, fs.name)
		if !ok || isNull(m.raw) {
			continue
		}
		switch fs.kind {
		case kSecret, kSecretOpt:
			c[fs.name] = s.parseSecret(m.raw)
		case kString:
			if c[fs.name], err = asString(m); err != nil {
				return nil, err
			}
		case kBool, kBoolOmit:
			b, err := asBool(m)
			if err != nil {
				return nil, err
			}
			c[fs.name] = b != nil && *b
		case kStrings:
			if c[fs.name], err = asStrings(src, m, "[]string"); err != nil {
				return nil, err
			}
		case kBuckets:
			var v struct {
				Buckets []bucket `json:"buckets"`
			}
			if json.Unmarshal(m.raw, &v) != nil {
				return nil, &mismatchError{pos: m.pos, goType: "schemas.BatchS3Config"}
			}
			c[fs.name] = v.Buckets
		}
	}
	return c, nil
}

// secretAt returns a secret field of a config and whether it was set.
func (k *key) secretAt(cfg, name string) (secret, bool) {
	v, ok := k.configs[cfg][name].(secret)
	return v, ok
}

// render builds the key as responses show it: redacted, in wire order.
func (s *Server) renderKey(k *key) object {
	o := object{
		{"id", k.id},
		{"name", k.name},
		{"value", k.value.shown(s.env, false).wire(s.v2)},
		{"models", nonNil(k.models)},
		{"blacklisted_models", nonNil(k.blacklist)},
		{"weight", k.weight},
	}
	if len(k.aliases) > 0 {
		o = append(o, kv{"aliases", renderAliases(k.aliases)})
	}
	for _, spec := range s.configSpecs() {
		if c, ok := k.configs[spec.name]; ok && c != nil {
			o = append(o, kv{spec.name, s.renderConfig(spec, c)})
		}
	}
	if k.enabled != nil {
		o = append(o, kv{"enabled", *k.enabled})
	}
	o = append(o, kv{"use_for_batch_api", k.batch})
	// v2 answers use_anthropic_endpoints on every key, false when never set
	// (raw-exchanges-v2.jsonl; the column defaults to false).
	if s.v2 {
		o = append(o, kv{"use_anthropic_endpoints", k.anthropic})
	}
	for _, f := range []kv{{"config_hash", k.configHash}, {"status", k.status}, {"description", k.description}} {
		if f.v != "" {
			o = append(o, f)
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
	var o object
	for _, fs := range spec.fields {
		if !s.knows(fs) {
			continue
		}
		v, ok := c[fs.name]
		switch fs.kind {
		case kSecret, kSecretOpt:
			if !ok && fs.kind == kSecretOpt {
				continue
			}
			sec, _ := v.(secret)
			o = append(o, kv{fs.name, sec.shown(s.env, s.inClear(spec, fs)).wire(s.v2)})
		case kString:
			str, _ := v.(string)
			o = append(o, kv{fs.name, str})
		case kBool:
			b, _ := v.(bool)
			o = append(o, kv{fs.name, b})
		case kBoolOmit:
			if b, _ := v.(bool); b {
				o = append(o, kv{fs.name, true})
			}
		case kStrings:
			if l, _ := v.([]string); len(l) > 0 {
				o = append(o, kv{fs.name, l})
			}
		case kBuckets:
			if !ok {
				continue
			}
			b := object{}
			if l, _ := v.([]bucket); len(l) > 0 {
				b = append(b, kv{"buckets", l})
			}
			o = append(o, kv{fs.name, b})
		}
	}
	if o == nil {
		return object{}
	}
	return o
}

// mergeEcho applies PUT's treatment of echoed redactions: every secret of
// the incoming key that stands for the stored one is replaced by it.
func (s *Server) mergeEcho(in, old *key) {
	if keepStored(in.value, old.value, s.env, false, s.v2) {
		in.value = old.value
	}
	for _, spec := range s.configSpecs() {
		c, ok := in.configs[spec.name]
		if !ok || c == nil {
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
