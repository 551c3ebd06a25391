package emulator

import (
	"fmt"
	"strings"
	"testing"
)

const setupToken = "setup-tok"

// v2 starts a v2.2.6 emulator and returns a request helper that sends the
// setup token.
func v2(t *testing.T, opts Options) (*Server, func(method, path, body string) (int, string)) {
	t.Helper()
	opts.Version, opts.SetupToken = "v2.2.6", setupToken
	s := startServer(t, opts)
	return s, func(method, path, body string) (int, string) {
		t.Helper()
		return do(t, s, method, path, body, setupTokenHeader, setupToken)
	}
}

func TestV2SetupLock(t *testing.T) {
	s, _ := v2(t, Options{})
	cases := []struct {
		path   string
		header []string
		status int
		want   string
	}{
		{"/api/providers", nil, 401, errBodyV2(401, "Setup token required")},
		{"/api/providers", []string{setupTokenHeader, "wrong"}, 403, errBodyV2(403, "Invalid setup token")},
		{"/api/providers", []string{setupTokenHeader, setupToken}, 200, `{"providers":[],"total":0}` + "\n"},
		{"/api/version", nil, 200, `"v2.2.6"` + "\n"},
		{"/health", nil, 200, ""},
	}
	for _, c := range cases {
		status, body := do(t, s, "GET", c.path, "", c.header...)
		if status != c.status || (c.want != "" && body != c.want) {
			t.Errorf("%s %v: %d %s", c.path, c.header, status, body)
		}
	}
	// No token configured on the server: every token is wrong.
	none := startServer(t, Options{Version: "v2.2.6"})
	if status, _ := do(t, none, "GET", "/api/providers", "", setupTokenHeader, "x"); status != 403 {
		t.Errorf("unconfigured token: %d", status)
	}
	// Before v2.2.6, and once auth is enabled, the lock does not apply.
	old := startServer(t, Options{Version: "v2.2.5"})
	if status, _ := do(t, old, "GET", "/api/providers", ""); status != 200 {
		t.Errorf("v2.2.5: %d", status)
	}
	withAuth := startServer(t, Options{Version: "v2.2.6", Username: "a", Password: "b"})
	if status, _ := do(t, withAuth, "GET", "/api/providers", "", "Authorization", "Basic YTpi"); status != 200 {
		t.Errorf("auth enabled: %d", status)
	}
}

func TestV2SecretsAndFields(t *testing.T) {
	_, call := v2(t, Options{
		Providers: []string{"openai", "bedrock", "bedrock_mantle", "vertex"},
		Env:       map[string]string{"K": testEnvKey, "vault.kv/openai": "sk-vault-0123456789"},
	})
	masked := func(v string) string { return v[:4] + strings.Repeat("*", 24) + v[len(v)-4:] }
	values := []struct{ in, want string }{
		{`"sk-plain-0123456789"`, `{"value":"` + masked("sk-plain-0123456789") + `","type":"plain_text"}`},
		{`"env.K"`, `{"value":"` + masked(testEnvKey) + `","ref":"env.K","type":"env"}`},
		{`{"value":"","env_var":"K","from_env":true}`, `{"value":"` + masked(testEnvKey) + `","ref":"env.K","type":"env"}`},
		{`{"value":"","ref":"env.K"}`, `{"value":"` + masked(testEnvKey) + `","ref":"env.K","type":"env"}`},
		{`"vault.kv/openai"`, `{"value":"` + masked("sk-vault-0123456789") + `","ref":"vault.kv/openai","type":"vault"}`},
	}
	for i, v := range values {
		status, body := call("POST", "/api/providers/openai/keys", `{"name":"v`+string(rune('a'+i))+`","value":`+v.in+`}`)
		if status != 200 || member(t, body, "value") != v.want {
			t.Errorf("value %s: %d %s", v.in, status, body)
		}
	}
	checks := []struct {
		name, path, body string
		status           int
		contains         string
	}{
		{"duplicate name", "/api/providers/openai/keys", `{"name":"va","value":"sk-other-0123456789"}`, 409, msgDuplicateV2},
		{"models mixed", "/api/providers/openai/keys", `{"name":"mm","value":"sk-other-0123456789","models":["*","x"]}`, 400, "Invalid models: wildcard '*' cannot be used with other values in the whitelist"},
		{"invalid JSON", "/api/providers/openai/keys", `{oops`, 400, `"message":"Invalid request payload"`},
		{"mantle value may be empty", "/api/providers/bedrock_mantle/keys", `{"name":"m","bedrock_mantle_key_config":{"access_key":"AKIAEXAMPLE012345","secret_key":"secret-0123456789","project_id":"proj-0123456789"}}`, 200,
			`"bedrock_mantle_key_config":{"access_key":{"value":"AKIA************************2345","type":"plain_text"},"secret_key":{"value":"secr************************6789","type":"plain_text"},"project_id":{"value":"proj************************6789","type":"plain_text"}}`},
		{"vertex force_single_region", "/api/providers/vertex/keys", `{"name":"v","vertex_key_config":{"project_id":"p","force_single_region":true}}`, 200, `"force_single_region":true}`},
		{"bedrock role and project", "/api/providers/bedrock/keys", `{"name":"b","bedrock_key_config":{"role_arn":"arn:aws:iam::1:role/x","external_id":"ext","session_name":"sess","project_id":"pid"}}`, 200,
			`"role_arn":{"value":"arn:************************le/x","type":"plain_text"},"external_id":{"value":"***","type":"plain_text"},"session_name":{"value":"****","type":"plain_text"},"project_id":{"value":"***","type":"plain_text"}}`},
		{"anthropic endpoints and aliases", "/api/providers/openai/keys", `{"name":"al","value":"sk-other-0123456789","use_anthropic_endpoints":true,"aliases":{"s":"t","o":{"model_id":"m"},"r":{"model_id":"m","model_name":"n"}}}`, 200,
			`"aliases":{"o":"m","r":{"model_id":"m","model_name":"n"},"s":"t"},"enabled":true,"use_for_batch_api":false,"use_anthropic_endpoints":true,`},
	}
	for _, c := range checks {
		status, body := call("POST", c.path, c.body)
		if status != c.status || !strings.Contains(body, c.contains) {
			t.Errorf("%s: %d %s", c.name, status, body)
		}
	}
	// The same fields are unknown to a v1.5 server and dropped.
	v1 := startServer(t, Options{Providers: []string{"bedrock"}})
	_, body := do(t, v1, "POST", "/api/providers/bedrock/keys", `{"name":"b","bedrock_key_config":{"role_arn":"r","project_id":"pid"},"use_anthropic_endpoints":true,"bedrock_mantle_key_config":{}}`)
	if strings.Contains(body, "project_id") || strings.Contains(body, "anthropic") || strings.Contains(body, "mantle") || !strings.Contains(body, `"role_arn"`) {
		t.Errorf("v1.5 must drop v2-only fields: %s", body)
	}
}

// TestV2EchoKeepsStored checks the v2 PUT rule: any redacted-looking literal
// keeps the stored secret, even one that is not the current redaction.
func TestV2EchoKeepsStored(t *testing.T) {
	s, call := v2(t, Options{Providers: []string{"openai"}})
	call("POST", "/api/providers/openai/keys", `{"id":"k","name":"k","value":"sk-rotated-ZYXWVUTSRQPONMLKJIHG"}`)
	// Redacted-looking (4+24+4) but not the current redaction (…JIHG).
	wrongMask := `{"name":"k","value":"sk-x` + strings.Repeat("*", 24) + `ABCD"}`
	if status, body := call("PUT", "/api/providers/openai/keys/k", wrongMask); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if v := s.Keys("openai")[0].Value; v != "sk-rotated-ZYXWVUTSRQPONMLKJIHG" {
		t.Errorf("v2 must keep the stored secret, stored %q", v)
	}
	v1 := startServer(t, Options{Providers: []string{"openai"}})
	do(t, v1, "POST", "/api/providers/openai/keys", `{"id":"k","name":"k","value":"sk-rotated-ZYXWVUTSRQPONMLKJIHG"}`)
	do(t, v1, "PUT", "/api/providers/openai/keys/k", wrongMask)
	if v := v1.Keys("openai")[0].Value; v != "sk-x"+strings.Repeat("*", 24)+"ABCD" {
		t.Errorf("v1.5 must store the wrong mask verbatim, stored %q", v)
	}
	if status, body := call("PUT", "/api/providers/openai/keys/k", `{"name":"k","value":"sk-new-value-0123456789"}`); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if v := s.Keys("openai")[0].Value; v != "sk-new-value-0123456789" {
		t.Errorf("a real value must replace the secret, stored %q", v)
	}
}

// TestV2ProviderPut checks that v2 leaves omitted blocks alone and clears
// them on explicit null.
func TestV2ProviderPut(t *testing.T) {
	_, call := v2(t, Options{})
	call("POST", "/api/providers", `{"provider":"openai","network_config":{"base_url":"http://u"},"proxy_config":{"type":"http"}}`)
	_, body := call("PUT", "/api/providers/openai", `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":2}}`)
	if member(t, body, "proxy_config") != `{"type":"http","url":null,"username":null,"password":null,"ca_cert_pem":null}` || !strings.Contains(member(t, body, "network_config"), `"base_url":"http://u"`) {
		t.Errorf("omitted blocks must be kept: %s", body)
	}
	_, body = call("PUT", "/api/providers/openai", `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":2},"proxy_config":null,"network_config":null}`)
	if member(t, body, "proxy_config") != "null" || strings.Contains(body, "base_url") {
		t.Errorf("null must clear: %s", body)
	}
}

// TestV2Defaults checks what a v2.2.6 server answers for fields a client
// never set, as the v2 recording shows them: the v2 network defaults with
// keep_alive_timeout_in_seconds, and on keys use_anthropic_endpoints false,
// status "unknown" where discovery leaves it alone, the azure endpoint in
// clear unless reference-backed, no api_version.
func TestV2Defaults(t *testing.T) {
	_, call := v2(t, Options{Env: map[string]string{"AZ_EP": "https://secret.openai.azure.com"}})
	_, body := call("POST", "/api/providers", `{"provider":"azure"}`)
	const network = `{"default_request_timeout_in_seconds":300,"max_retries":0,"retry_backoff_initial":500,"retry_backoff_max":5000,` +
		`"stream_idle_timeout_in_seconds":120,"keep_alive_timeout_in_seconds":30,"max_conns_per_host":5000}`
	if got := member(t, body, "network_config"); got != network {
		t.Errorf("default network_config %s", got)
	}
	_, body = call("PUT", "/api/providers/azure", `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},"network_config":{"keep_alive_timeout_in_seconds":7}}`)
	if got := member(t, body, "network_config"); !strings.Contains(got, `"keep_alive_timeout_in_seconds":7`) {
		t.Errorf("keep_alive_timeout_in_seconds not kept: %s", got)
	}
	for _, c := range []struct{ name, endpoint, want string }{
		{"literal", "https://example.openai.azure.com", `{"value":"https://example.openai.azure.com","type":"plain_text"}`},
		{"env", "env.AZ_EP", `{"value":"http************************.com","ref":"env.AZ_EP","type":"env"}`},
	} {
		status, body := call("POST", "/api/providers/azure/keys", fmt.Sprintf(`{"name":%q,"value":"azure-key-0123456789abcdef",`+
			`"azure_key_config":{"endpoint":%q,"api_version":"2024-10-21","client_secret":"client-secret-0123456789"}}`, c.name, c.endpoint))
		if status != 200 || member(t, body, "azure_key_config") != `{"endpoint":`+c.want+`,"client_secret":{"value":"clie************************6789","type":"plain_text"}}` ||
			!strings.HasSuffix(body, `"use_for_batch_api":false,"use_anthropic_endpoints":false,"status":"unknown"}`+"\n") {
			t.Errorf("azure key, endpoint %s: %d %s", c.endpoint, status, body)
		}
	}
	// v1.5 knows neither keep_alive_timeout_in_seconds nor use_anthropic_endpoints.
	old := startServer(t, Options{})
	_, body = do(t, old, "POST", "/api/providers", `{"provider":"openai","network_config":{"keep_alive_timeout_in_seconds":7}}`)
	if strings.Contains(body, "keep_alive") {
		t.Errorf("v1.5 must drop keep_alive_timeout_in_seconds: %s", body)
	}
}
