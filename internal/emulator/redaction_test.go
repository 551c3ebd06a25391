package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// rawAt walks body along path (member names and list indexes) and returns
// the value found exactly as the server wrote it; "" when the path does not
// exist.
func rawAt(t *testing.T, body string, path ...any) string {
	t.Helper()
	raw := json.RawMessage(body)
	for _, p := range path {
		switch p := p.(type) {
		case string:
			var m map[string]json.RawMessage
			if json.Unmarshal(raw, &m) != nil {
				return ""
			}
			var ok bool
			if raw, ok = m[p]; !ok {
				return ""
			}
		case int:
			var l []json.RawMessage
			if json.Unmarshal(raw, &l) != nil || p >= len(l) {
				return ""
			}
			raw = l[p]
		}
	}
	return strings.TrimSpace(string(raw))
}

// listed returns the provider named name in a GET /api/providers body.
func listed(t *testing.T, body, name string) string {
	t.Helper()
	for i := 0; ; i++ {
		p := rawAt(t, body, "providers", i)
		if p == "" {
			t.Fatalf("%s not listed: %s", name, body)
		}
		if rawAt(t, p, "name") == `"`+name+`"` {
			return p
		}
	}
}

// testPEM is a certificate as a configuration writes it, without a trailing
// newline: its mask is the one measured on v1.5.1.
const testPEM = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----"

// maskOf is bifrost.Mask spelled out, so that the tests do not check the
// emulator against its own helper.
func maskOf(v string) string {
	if len(v) <= 8 {
		return strings.Repeat("*", len(v))
	}
	return v[:4] + strings.Repeat("*", 24) + v[len(v)-4:]
}

// TestNetworkCACertRedaction checks network_config.ca_cert_pem as both
// versions answer it: a plain string (not the secret wrapper object), a
// literal masked like a key's value, a reference as itself, an empty value
// left out; on every read (POST, PUT, GET, list), never in the DELETE body.
func TestNetworkCACertRedaction(t *testing.T) {
	env := map[string]string{"CA_PEM": testPEM}
	type form struct{ name, in, want string } // want "" : member absent
	common := []form{
		{"pem", `"` + strings.ReplaceAll(testPEM, "\n", `\n`) + `"`, `"----************************----"`},
		{"pem with trailing newline", `"` + strings.ReplaceAll(testPEM, "\n", `\n`) + `\n"`, `"----************************---\n"`},
		{"eight characters", `"abcdefgh"`, `"********"`},
		{"short", `"abc"`, `"***"`},
		{"empty", `""`, ``},
		{"env reference", `"env.CA_PEM"`, `"env.CA_PEM"`},
		{"env reference to an unset variable", `"env.NO_SUCH_VAR"`, `"env.NO_SUCH_VAR"`},
		{"legacy reference object", `{"value":"env.CA_PEM","env_var":"env.CA_PEM"}`, `"env.CA_PEM"`},
		{"wrapper object with from_env", `{"value":"","env_var":"env.CA_PEM","from_env":true}`, `"env.CA_PEM"`},
	}
	for _, tc := range []struct {
		version string
		forms   []form
	}{
		{"v1.5.1", append(common,
			// v1.5 EnvVar: env_var is answered as is, prefix or not.
			form{"from_env without prefix", `{"value":"x","env_var":"CA_PEM","from_env":true}`, `"CA_PEM"`},
			// An object lacking value or env_var is a literal holding its JSON text.
			form{"object without value", `{"env_var":"CA_PEM","from_env":true}`, `"` + strings.ReplaceAll(maskOf(`{"env_var":"CA_PEM","from_env":true}`), `"`, `\"`) + `"`},
		)},
		{"v2.2.6", append(common,
			form{"from_env without prefix", `{"env_var":"CA_PEM","from_env":true}`, `"env.CA_PEM"`},
			form{"ref and type", `{"value":"","ref":"env.CA_PEM","type":"env"}`, `"env.CA_PEM"`},
			form{"vault reference", `"vault.kv/ca"`, `"vault.kv/ca"`},
			form{"plain object", `{"value":"` + strings.ReplaceAll(testPEM, "\n", `\n`) + `"}`, `"----************************----"`},
		)},
	} {
		t.Run(tc.version, func(t *testing.T) {
			_, call := versioned(t, tc.version, Options{Env: env})
			for i, f := range tc.forms {
				name := fmt.Sprintf("ca%d", i)
				check := func(what, network string) {
					t.Helper()
					got := rawAt(t, network, "ca_cert_pem")
					if f.want == "" && got != "" || f.want != "" && got != f.want {
						t.Errorf("%s %s: ca_cert_pem %s, want %s (network_config %s)", f.name, what, got, f.want, network)
					}
					if strings.Contains(network, "MIIB") {
						t.Errorf("%s %s: the certificate shows in clear: %s", f.name, what, network)
					}
				}
				status, body := call("POST", "/api/providers", `{"provider":"`+name+`","custom_provider_config":{"base_provider_type":"openai"},"network_config":{"ca_cert_pem":`+f.in+`}}`)
				if status != 200 {
					t.Fatalf("%s: POST %d %s", f.name, status, body)
				}
				check("POST", member(t, body, "network_config"))
				_, body = call("GET", "/api/providers/"+name, "")
				check("GET", member(t, body, "network_config"))
				_, body = call("PUT", "/api/providers/"+name, `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},"custom_provider_config":{"base_provider_type":"openai"},"network_config":{"ca_cert_pem":`+f.in+`}}`)
				check("PUT", member(t, body, "network_config"))
				_, body = call("GET", "/api/providers", "")
				check("list", rawAt(t, listed(t, body, name), "network_config"))
			}
			_, body := call("DELETE", "/api/providers/ca0", "")
			if strings.Contains(body, "ca_cert_pem") {
				t.Errorf("DELETE body %s", body)
			}
			// The exact layout: ca_cert_pem between insecure_skip_verify and
			// the stream idle timeout, as NetworkConfig encodes it.
			_, body = call("POST", "/api/providers", `{"provider":"layout","network_config":{"insecure_skip_verify":true,"ca_cert_pem":"abc","max_conns_per_host":3}}`)
			want := `{"default_request_timeout_in_seconds":0,"max_retries":0,"retry_backoff_initial":0,"retry_backoff_max":0,"insecure_skip_verify":true,"ca_cert_pem":"***","max_conns_per_host":3}`
			if got := member(t, body, "network_config"); got != want {
				t.Errorf("network_config %s\nwant %s", got, want)
			}
		})
	}
}

// TestNetworkCACertEcho checks PUT's handling of an echoed ca_cert_pem in
// both versions: the current answer echoed back keeps the stored
// certificate; any other mask-looking value is stored as sent; a new literal
// or reference replaces it.
func TestNetworkCACertEcho(t *testing.T) {
	pem := strings.ReplaceAll(testPEM, "\n", `\n`)
	put := func(ca string) string {
		return `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},"network_config":{"max_retries":2,"ca_cert_pem":` + ca + `}}`
	}
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			s, call := versioned(t, version, Options{Env: map[string]string{"CA_PEM": testPEM}})
			stored := func(want string) {
				t.Helper()
				if got, ok := s.CACert("openai"); !ok || got != want {
					t.Errorf("stored ca_cert_pem %q (%v), want %q", got, ok, want)
				}
			}
			if status, body := call("POST", "/api/providers", `{"provider":"openai","network_config":{"ca_cert_pem":"`+pem+`"}}`); status != 200 {
				t.Fatalf("POST %d %s", status, body)
			}
			stored(testPEM)
			// The answer echoed back, as a client that read it would send it.
			_, body := call("GET", "/api/providers/openai", "")
			shown := rawAt(t, body, "network_config", "ca_cert_pem")
			if status, body := call("PUT", "/api/providers/openai", put(shown)); status != 200 || rawAt(t, body, "network_config", "ca_cert_pem") != shown {
				t.Fatalf("PUT echo: %d %s", status, body)
			}
			stored(testPEM)
			// A mask that is not the current answer is a new certificate.
			wrong := "----" + strings.Repeat("*", 24) + "-END"
			call("PUT", "/api/providers/openai", put(`"`+wrong+`"`))
			stored(wrong)
			_, body = call("GET", "/api/providers/openai", "")
			if got := rawAt(t, body, "network_config", "ca_cert_pem"); got != `"`+wrong+`"` {
				t.Errorf("after a wrong mask: %s", got)
			}
			// References are stored as references and answered as themselves.
			call("PUT", "/api/providers/openai", put(`"env.CA_PEM"`))
			stored("env.CA_PEM")
			if status, body := call("PUT", "/api/providers/openai", put(`"env.CA_PEM"`)); status != 200 || rawAt(t, body, "network_config", "ca_cert_pem") != `"env.CA_PEM"` {
				t.Errorf("PUT reference again: %d %s", status, body)
			}
			stored("env.CA_PEM")
			// Left out of the network_config sent: no certificate any more.
			call("PUT", "/api/providers/openai", `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},"network_config":{"max_retries":2}}`)
			if _, ok := s.CACert("openai"); ok {
				t.Errorf("ca_cert_pem kept although the network_config sent had none")
			}
		})
	}
}

// TestKeyConfigRedaction checks, for both versions, how every field of the
// provider-specific key configs answers a long literal, a literal of at most
// 8 characters, and an env reference: the masked fields (including the
// non-secret ones semantics.md lists: azure endpoint, client_id, tenant_id,
// vertex and bedrock settings, the vllm/ollama/sgl url), azure api_version in
// clear unless env-backed (v1.5), the v2 azure endpoint in clear unless
// reference-backed, and the fields Bifrost never redacts.
func TestKeyConfigRedaction(t *testing.T) {
	const (
		long     = "literal-value-0123456789"
		short    = "123456"
		resolved = "resolved-value-9876543210"
	)
	env := map[string]string{"RV": resolved}
	type rule int
	const (
		masked            rule = iota // always masked
		clearUnlessBacked             // literal in clear, a reference's value masked
	)
	type cfgField struct {
		name string
		rule rule
	}
	type cfg struct {
		provider, block string
		fields          []cfgField
		extra           string // unredacted members sent with the block, answered as sent
	}
	all := func(names ...string) []cfgField {
		out := make([]cfgField, len(names))
		for i, n := range names {
			out[i] = cfgField{n, masked}
		}
		return out
	}
	configs := func(v2 bool) []cfg {
		azure := cfg{provider: "azure", block: "azure_key_config",
			fields: append([]cfgField{{"endpoint", masked}, {"api_version", clearUnlessBacked}}, all("client_id", "client_secret", "tenant_id")...),
			extra:  `"scopes":["https://cognitiveservices.azure.com/.default"]`}
		if v2 {
			// v2 answers a literal endpoint in clear and has no api_version.
			azure.fields = append([]cfgField{{"endpoint", clearUnlessBacked}}, all("client_id", "client_secret", "tenant_id")...)
		}
		out := []cfg{
			azure,
			{provider: "vertex", block: "vertex_key_config", fields: all("project_id", "project_number", "region", "auth_credentials")},
			{provider: "bedrock", block: "bedrock_key_config",
				fields: all("access_key", "secret_key", "session_token", "region", "arn", "role_arn", "external_id", "session_name"),
				extra:  `"batch_s3_config":{"buckets":[{"bucket_name":"b1","prefix":"jobs/","is_default":true}]}`},
			{provider: "vllm", block: "vllm_key_config", fields: all("url"), extra: `"model_name":"llama-3-8b"`},
			{provider: "ollama", block: "ollama_key_config", fields: all("url")},
			{provider: "sgl", block: "sgl_key_config", fields: all("url")},
		}
		if v2 {
			out = append(out, cfg{provider: "bedrock_mantle", block: "bedrock_mantle_key_config",
				fields: all("access_key", "secret_key", "session_token", "region", "role_arn", "external_id", "session_name")})
		}
		return out
	}
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		v2 := version == "v2.2.6"
		// wire is a secret field as the version answers it.
		wire := func(value, ref string) string {
			switch {
			case v2 && ref != "":
				return fmt.Sprintf(`{"value":%q,"ref":%q,"type":"env"}`, value, ref)
			case v2:
				return fmt.Sprintf(`{"value":%q,"type":"plain_text"}`, value)
			case ref != "":
				return fmt.Sprintf(`{"value":%q,"env_var":%q,"from_env":true}`, value, ref)
			}
			return fmt.Sprintf(`{"value":%q,"env_var":"","from_env":false}`, value)
		}
		t.Run(version, func(t *testing.T) {
			_, call := versioned(t, version, Options{Env: env})
			for _, form := range []struct{ name, in, ref, plain string }{
				{"long literal", `"` + long + `"`, "", long},
				{"short literal", `"` + short + `"`, "", short},
				{"env reference", `"env.RV"`, "env.RV", resolved},
			} {
				for _, c := range configs(v2) {
					call("POST", "/api/providers", `{"provider":"`+c.provider+`"}`)
					var members []string
					for _, f := range c.fields {
						members = append(members, fmt.Sprintf("%q:%s", f.name, form.in))
					}
					if c.extra != "" {
						members = append(members, c.extra)
					}
					name := strings.ReplaceAll(c.provider+"-"+form.name, " ", "-")
					status, created := call("POST", "/api/providers/"+c.provider+"/keys",
						`{"name":"`+name+`","value":`+form.in+`,"`+c.block+`":{`+strings.Join(members, ",")+`}}`)
					if status != 200 {
						t.Fatalf("%s %s: %d %s", c.block, form.name, status, created)
					}
					id := unquote(rawAt(t, created, "id"))
					_, got := call("GET", "/api/providers/"+c.provider+"/keys/"+id, "")
					_, list := call("GET", "/api/providers/"+c.provider+"/keys", "")
					for what, body := range map[string]string{"POST": created, "GET": got} {
						if v, want := member(t, body, "value"), wire(maskOf(form.plain), form.ref); v != want {
							t.Errorf("%s %s %s: value %s, want %s", what, c.provider, form.name, v, want)
						}
						for _, f := range c.fields {
							shown := maskOf(form.plain)
							if f.rule == clearUnlessBacked && form.ref == "" {
								shown = form.plain
							}
							if v, want := rawAt(t, body, c.block, f.name), wire(shown, form.ref); v != want {
								t.Errorf("%s %s.%s %s: %s, want %s", what, c.block, f.name, form.name, v, want)
							}
						}
						if c.extra != "" && !strings.Contains(body, c.extra) {
							t.Errorf("%s %s %s: %s not answered as sent: %s", what, c.block, form.name, c.extra, body)
						}
						if form.ref == "" && form.plain == long && strings.Contains(body, long) && c.block != "azure_key_config" {
							t.Errorf("%s %s %s: a literal shows in clear: %s", what, c.block, form.name, body)
						}
					}
					if !strings.Contains(list, rawAt(t, got, c.block)) {
						t.Errorf("list of %s keys does not answer the config as GET does: %s", c.provider, list)
					}
				}
			}
			if !v2 {
				// v1.5 api_version: the literal in clear, even next to masked fields.
				_, body := call("POST", "/api/providers/azure/keys", `{"name":"av","value":"k","azure_key_config":{"endpoint":"https://example.openai.azure.com","api_version":"2024-10-21"}}`)
				if got := rawAt(t, body, "azure_key_config", "api_version"); got != `{"value":"2024-10-21","env_var":"","from_env":false}` {
					t.Errorf("api_version %s", got)
				}
			}
			// Never redacted: aliases and replicate_key_config.
			call("POST", "/api/providers", `{"provider":"replicate"}`)
			_, body := call("POST", "/api/providers/replicate/keys", `{"name":"rp","value":"r8_exampleexampleexample0123","aliases":{"fast":"model-0123456789abcdef"},"replicate_key_config":{"use_deployments_endpoint":true}}`)
			if member(t, body, "aliases") != `{"fast":"model-0123456789abcdef"}` || member(t, body, "replicate_key_config") != `{"use_deployments_endpoint":true}` {
				t.Errorf("unredacted members: %s", body)
			}
		})
	}
}
