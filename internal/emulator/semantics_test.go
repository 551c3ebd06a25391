package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// do sends a request and returns status and body; headers are name, value pairs.
func do(t *testing.T, s *Server, method, path, body string, headers ...string) (int, string) {
	t.Helper()
	resp := send(t, s, method, path, body, headers...)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b)
}

func send(t *testing.T, s *Server, method, path, body string, headers ...string) *http.Response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, r)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// errBody is the error body of a v1.5 server.
func errBody(status int, msg string) string { return errEnvelope(status, msg, object{}) }

// errBodyV2 is the error body of a v2 server: extra_fields carries an empty
// routing_info.
func errBodyV2(status int, msg string) string {
	return errEnvelope(status, msg, object{{"routing_info", object{}}})
}

func errEnvelope(status int, msg string, extra object) string {
	return string(enc(object{
		{"is_bifrost_error", false}, {"status_code", status},
		{"error", object{{"message", msg}}}, {"extra_fields", extra},
	})) + "\n"
}

// member extracts one top-level member of a JSON object body, compacted.
func member(t *testing.T, body, name string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	return string(m[name])
}

type exchangeCase struct {
	name         string
	method, path string
	body         string
	status       int
	want         string // full body; "" to skip
	contains     string // substring the body must contain
}

func runCases(t *testing.T, s *Server, cases []exchangeCase) {
	t.Helper()
	for _, c := range cases {
		status, body := do(t, s, c.method, c.path, c.body)
		if status != c.status {
			t.Errorf("%s: status %d, want %d (%s)", c.name, status, c.status, body)
		}
		if c.want != "" && body != c.want {
			t.Errorf("%s: body\n got %s\nwant %s", c.name, body, c.want)
		}
		if !strings.Contains(body, c.contains) {
			t.Errorf("%s: body %s lacks %s", c.name, body, c.contains)
		}
	}
}

// TestProviderValidation covers the provider handler's 400s that the
// transcripts do not show, in the order the handler checks them.
func TestProviderValidation(t *testing.T) {
	s := startServer(t, Options{})
	bad := func(msg string) string { return errBody(400, msg) }
	runCases(t, s, []exchangeCase{
		{"missing provider", "POST", "/api/providers", `{}`, 400, bad("Missing provider"), ""},
		{"base type required", "POST", "/api/providers", `{"provider":"x","custom_provider_config":{}}`, 400, bad("BaseProviderType is required when CustomProviderConfig is provided"), ""},
		{"base type standard", "POST", "/api/providers", `{"provider":"x","custom_provider_config":{"base_provider_type":"nope"}}`, 400, bad("BaseProviderType must be a standard provider"), ""},
		{"concurrency 0", "POST", "/api/providers", `{"provider":"x","concurrency_and_buffer_size":{"concurrency":0,"buffer_size":1}}`, 400, bad("Concurrency must be greater than 0"), ""},
		{"buffer 0", "POST", "/api/providers", `{"provider":"x","concurrency_and_buffer_size":{"concurrency":1,"buffer_size":0}}`, 400, bad("Buffer size must be greater than 0"), ""},
		{"concurrency > buffer", "POST", "/api/providers", `{"provider":"x","concurrency_and_buffer_size":{"concurrency":9,"buffer_size":1}}`, 400, bad("Concurrency must be less than or equal to buffer size"), ""},
		{"backoff too small", "POST", "/api/providers", `{"provider":"x","network_config":{"retry_backoff_initial":50}}`, 400, bad("Invalid retry backoff: retry backoff initial must be at least 100ms"), ""},
		{"backoff too large", "POST", "/api/providers", `{"provider":"x","network_config":{"retry_backoff_max":2000000}}`, 400, bad("Invalid retry backoff: retry backoff max must be at most 16m40s"), ""},
		{"backoff order", "POST", "/api/providers", `{"provider":"x","network_config":{"retry_backoff_initial":900,"retry_backoff_max":800}}`, 400, bad("Invalid retry backoff: retry backoff initial must be less than or equal to retry backoff max"), ""},
		{"PUT needs concurrency", "PUT", "/api/providers/groq", `{"network_config":{}}`, 400, bad("Concurrency must be greater than 0"), ""},
		{"invalid provider encoding", "GET", "/api/providers/%25zz", "", 400, bad(`Invalid provider: invalid provider parameter encoding: invalid URL escape "%zz"`), ""},
		{"type mismatch", "POST", "/api/providers", `{"provider":5}`, 400, bad("Invalid JSON: Mismatch type string with value number \"at index 12: mismatched type with value\\n\\n\\t{\\\"provider\\\":5}\\n\\t............^.\\n\""), ""},
		{"empty body", "POST", "/api/providers", "", 400, "", "Invalid JSON: "},
		{"unrouted path", "GET", "/api/nothing", "", 404, "Not Found", ""},
		{"unrouted path, not a GET", "POST", "/api/nothing/x", "{}", 404, `{"is_bifrost_error":false,"status_code":404,"error":{"message":"Route not found: /api/nothing/x"},"extra_fields":{}}` + "\n", ""},
		{"full provider", "POST", "/api/providers", `{"provider":"full","network_config":{"base_url":"http://u","extra_headers":{"b":"2","a":"1"},"default_request_timeout_in_seconds":5,"max_retries":2,"retry_backoff_initial":100,"retry_backoff_max":200,"stream_idle_timeout_in_seconds":7,"max_conns_per_host":9},"concurrency_and_buffer_size":{"concurrency":2,"buffer_size":3},"proxy_config":{"type":"http","url":"http://p"},"send_back_raw_request":true,"openai_config":{"disable_store":true}}`, 200,
			`{"name":"full","network_config":{"base_url":"http://u","extra_headers":{"a":"1","b":"2"},"default_request_timeout_in_seconds":5,"max_retries":2,"retry_backoff_initial":100,"retry_backoff_max":200,"stream_idle_timeout_in_seconds":7,"max_conns_per_host":9},"concurrency_and_buffer_size":{"concurrency":2,"buffer_size":3},"proxy_config":{"type":"http","url":{"value":"http://p","env_var":"","from_env":false},"username":null,"password":null,"ca_cert_pem":null},"send_back_raw_request":true,"send_back_raw_response":false,"store_raw_request_response":false,"openai_config":{"disable_store":true},"provider_status":"active"}` + "\n", ""},
	})
	status, body := do(t, s, "POST", "/api/keys", "")
	if status != 405 || body != "Method Not Allowed" {
		t.Errorf("POST /api/keys: %d %q", status, body)
	}
	// v1.5 PUT replaces the optional blocks: omitted proxy_config is cleared.
	_, body = do(t, s, "PUT", "/api/providers/full", `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1}}`)
	if got := member(t, body, "proxy_config"); got != "null" {
		t.Errorf("proxy_config after PUT = %s", got)
	}
	if got := member(t, body, "status"); got != `"unknown"` {
		t.Errorf("status after PUT of an existing provider = %s", got)
	}
}

// TestKeyValidation covers key rules the recordings do not show.
func TestKeyValidation(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai", "sgl", "azure"}})
	for _, p := range []string{
		`{"provider":"kl","custom_provider_config":{"is_key_less":true,"base_provider_type":"openai"}}`,
		`{"provider":"my-bedrock","custom_provider_config":{"base_provider_type":"bedrock"}}`,
	} {
		if status, body := do(t, s, "POST", "/api/providers", p); status != 200 {
			t.Fatalf("create %s: %d %s", p, status, body)
		}
	}
	bad := func(msg string) string { return errBody(400, msg) }
	runCases(t, s, []exchangeCase{
		{"sgl url", "POST", "/api/providers/sgl/keys", `{"name":"s"}`, 400, bad("sgl_key_config.url is required for SGL keys"), ""},
		{"blacklist duplicate", "POST", "/api/providers/openai/keys", `{"name":"b","value":"sk-123456789","blacklisted_models":["a","A"]}`, 400, bad("Invalid blacklisted_models: duplicate value 'A' in blacklist"), ""},
		{"models duplicate", "POST", "/api/providers/openai/keys", `{"name":"m","value":"sk-123456789","models":["a","a"]}`, 500, errBody(500, "Failed to create provider key: failed to create provider key in store: duplicate value 'a' in whitelist"), ""},
		{"empty alias target", "POST", "/api/providers/openai/keys", `{"name":"al","value":"sk-123456789","aliases":{"x":""}}`, 400, bad(`Invalid aliases: alias "x": model_id cannot be empty`), ""},
		{"custom bedrock may be empty", "POST", "/api/providers/my-bedrock/keys", `{"name":"ca","models":["*"]}`, 200, "", `"name":"ca"`},
		{"keyless update", "PUT", "/api/providers/kl/keys/x", `{"name":"x"}`, 400, bad("Cannot update keys on a keyless provider"), ""},
		{"keyless delete", "DELETE", "/api/providers/kl/keys/x", "", 400, bad("Cannot delete keys on a keyless provider"), ""},
		{"top-level array", "POST", "/api/providers/openai/keys", `[1]`, 400, "", `Invalid JSON: Mismatch type schemas.Key with value array`},
		{"weight as string", "POST", "/api/providers/openai/keys", `{"weight":"1"}`, 400, "", `Mismatch type float64 with value string`},
		{"object lacking env_var is a literal", "POST", "/api/providers/openai/keys", `{"name":"lit","value":{"value":"abc"}}`, 200, "", `"value":{"value":"{\"va************************bc\"}","env_var":"","from_env":false}`},
		{"azure env api_version masked", "POST", "/api/providers/azure/keys", `{"name":"av","azure_key_config":{"endpoint":"https://example.openai.azure.com","api_version":"env.API_VERSION","client_secret":"s3cr3t-value-1234"}}`, 200, "", `"api_version":{"value":"","env_var":"env.API_VERSION","from_env":true}`},
	})

	// A disabled key is not probed: client-sent status survives key writes.
	_, body := do(t, s, "POST", "/api/providers/openai/keys", `{"name":"off","value":"sk-123456789","enabled":false,"status":"success","description":"mine"}`)
	if member(t, body, "status") != `"success"` || member(t, body, "description") != `"mine"` {
		t.Errorf("disabled key lost its client status: %s", body)
	}
	s.SetDiscovery("openai", "success", "")
	do(t, s, "POST", "/api/providers/openai/keys", `{"name":"on","value":"sk-987654321"}`)
	for _, k := range s.Keys("openai") {
		want := map[string]string{"off": "mine", "on": ""}[k.Name]
		if k.Description != want {
			t.Errorf("key %s description %q, want %q", k.Name, k.Description, want)
		}
	}

	// Env references resolve at response time.
	_, body = do(t, s, "POST", "/api/providers/openai/keys", `{"name":"envk","value":"env.LATE"}`)
	if !strings.Contains(body, "Key value must not be empty") {
		t.Fatalf("unset env must fail: %s", body)
	}
	s.Setenv("LATE", "sk-late-0123456789")
	_, body = do(t, s, "POST", "/api/providers/openai/keys", `{"name":"envk","value":"env.LATE"}`)
	if got := member(t, body, "value"); got != `{"value":"sk-l************************6789","env_var":"env.LATE","from_env":true}` {
		t.Errorf("env value = %s", got)
	}
	id := strings.Trim(member(t, body, "id"), `"`)
	s.Setenv("LATE", "sk-later-9876543210")
	_, body = do(t, s, "GET", "/api/providers/openai/keys/"+id, "")
	if got := member(t, body, "value"); !strings.HasPrefix(got, `{"value":"sk-l************************3210"`) {
		t.Errorf("env value after change = %s", got)
	}
}

// TestUnknownKeyFields checks that a v1.5 server drops fields it does not
// know, or keeps them verbatim after the known ones when asked to.
func TestUnknownKeyFields(t *testing.T) {
	body := `{"name":"n","value":"sk-123456789","use_anthropic_endpoints":true,"future":{"a": 1},"bedrock_project":"x"}`
	s := startServer(t, Options{Providers: []string{"openai"}})
	_, got := do(t, s, "POST", "/api/providers/openai/keys", body)
	if strings.Contains(got, "future") || strings.Contains(got, "use_anthropic_endpoints") {
		t.Errorf("unknown fields must be dropped: %s", got)
	}
	keep := startServer(t, Options{Providers: []string{"openai"}, KeepUnknownKeyFields: true})
	_, got = do(t, keep, "POST", "/api/providers/openai/keys", body)
	if !strings.HasSuffix(got, `"description":"network error occurred while connecting to provider API (DNS lookup, connection refused, etc.)","use_anthropic_endpoints":true,"future":{"a":1},"bedrock_project":"x"}`+"\n") {
		t.Errorf("unknown fields must follow the known ones: %s", got)
	}
}

func TestAuth(t *testing.T) {
	s := startServer(t, Options{Username: "admin", Password: "pw"})
	basic := "Basic YWRtaW46cHc="
	cases := []struct {
		name    string
		headers []string
		status  int
	}{
		{"none", nil, 401},
		{"basic", []string{"Authorization", basic}, 200},
		{"bearer legacy", []string{"Authorization", "Bearer YWRtaW46cHc="}, 200},
		{"wrong", []string{"Authorization", "Basic YWRtaW46eA=="}, 401},
		{"unknown session", []string{"Cookie", "token=nope"}, 401},
	}
	for _, c := range cases {
		status, body := do(t, s, "GET", "/api/providers", "", c.headers...)
		if status != c.status {
			t.Errorf("%s: %d %s", c.name, status, body)
		}
		if status == 401 && body != errBody(401, "Unauthorized") {
			t.Errorf("%s: body %s", c.name, body)
		}
	}
	for _, p := range []string{"/health", "/api/version", "/api/session/is-auth-enabled"} {
		if status, _ := do(t, s, "GET", p, ""); status != 200 {
			t.Errorf("%s must be public, got %d", p, status)
		}
	}
	if status, _ := do(t, s, "POST", "/api/session/login", `{"username":"admin","password":"bad"}`); status != 401 {
		t.Errorf("bad login: %d", status)
	}
	resp := send(t, s, "POST", "/api/session/login", `{"username":"admin","password":"pw"}`)
	resp.Body.Close()
	token := resp.Cookies()[0].Value
	for _, h := range [][]string{{"Authorization", "Bearer " + token}, {"Cookie", "token=" + token}} {
		if status, _ := do(t, s, "GET", "/api/providers", "", h...); status != 200 {
			t.Errorf("session via %s: %d", h[0], status)
		}
	}
	if _, body := do(t, s, "GET", "/api/session/is-auth-enabled", "", "Cookie", "token="+token); body != `{"has_valid_token":true,"is_auth_enabled":true}`+"\n" {
		t.Errorf("is-auth-enabled = %s", body)
	}
}
