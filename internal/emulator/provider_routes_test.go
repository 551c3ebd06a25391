package emulator

import (
	"errors"
	"net"
	"strings"
	"testing"
)

// versioned starts an emulator of version (with the v2.2.6 setup token
// configured) and returns a request helper that sends the token.
func versioned(t *testing.T, version string, opts Options) (*Server, func(method, path, body string) (int, string)) {
	t.Helper()
	opts.Version, opts.SetupToken = version, setupToken
	s := startServer(t, opts)
	return s, func(method, path, body string) (int, string) {
		t.Helper()
		return do(t, s, method, path, body, setupTokenHeader, setupToken)
	}
}

const proxyBody = `{"type":"http","url":"http://proxy.internal:3128","username":"bifrost","password":"proxy-password-0123456789","ca_cert_pem":"-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----"}`

// TestProxyConfigRedaction checks proxy_config as each version's
// ProxyConfig.Redacted() answers it, and PUT's restoring of echoed
// redactions.
func TestProxyConfigRedaction(t *testing.T) {
	env := map[string]string{"PROXY_PW": "pw-from-env-0123456789"}
	for _, tc := range []struct {
		version        string
		literal, byEnv string // proxy_config for proxyBody, and for an env-backed password
	}{
		{"v1.5.1",
			`{"type":"http","url":{"value":"http://proxy.internal:3128","env_var":"","from_env":false},"username":{"value":"bifrost","env_var":"","from_env":false},"password":{"value":"<REDACTED>","env_var":"","from_env":false},"ca_cert_pem":{"value":"<REDACTED>","env_var":"","from_env":false}}`,
			// v1.5 returns an env-backed password as stored: resolved, in clear.
			`{"type":"socks5","url":{"value":"socks5://127.0.0.1:1080","env_var":"","from_env":false},"username":{"value":"","env_var":"","from_env":false},"password":{"value":"pw-from-env-0123456789","env_var":"env.PROXY_PW","from_env":true},"ca_cert_pem":null}`},
		{"v2.2.6",
			`{"type":"http","url":{"value":"http************************3128","type":"plain_text"},"username":{"value":"*******","type":"plain_text"},"password":{"value":"<REDACTED>","type":"plain_text"},"ca_cert_pem":{"value":"<REDACTED>","type":"plain_text"}}`,
			`{"type":"socks5","url":{"value":"sock************************1080","type":"plain_text"},"username":null,"password":{"value":"<REDACTED>","ref":"env.PROXY_PW","type":"env"},"ca_cert_pem":null}`},
	} {
		t.Run(tc.version, func(t *testing.T) {
			s, call := versioned(t, tc.version, Options{Env: env})
			status, body := call("POST", "/api/providers", `{"provider":"px","proxy_config":`+proxyBody+`}`)
			if status != 200 || member(t, body, "proxy_config") != tc.literal {
				t.Fatalf("POST: %d proxy_config %s\nwant %s", status, member(t, body, "proxy_config"), tc.literal)
			}
			if _, body = call("GET", "/api/providers/px", ""); member(t, body, "proxy_config") != tc.literal {
				t.Errorf("GET proxy_config %s", member(t, body, "proxy_config"))
			}
			if _, body = call("GET", "/api/providers", ""); !strings.Contains(body, `"proxy_config":`+tc.literal) {
				t.Errorf("list %s", body)
			}
			// Echoing the answer back keeps every stored secret.
			echo := `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},"proxy_config":` + tc.literal + `}`
			if status, body = call("PUT", "/api/providers/px", echo); status != 200 || member(t, body, "proxy_config") != tc.literal {
				t.Fatalf("PUT echo: %d %s", status, body)
			}
			want := StoredProxy{Type: "http", URL: "http://proxy.internal:3128", Username: "bifrost", Password: "proxy-password-0123456789",
				CACertPEM: "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----"}
			if got := s.Proxy("px"); got == nil || *got != want {
				t.Errorf("stored after echo %+v", got)
			}
			// A placeholder that is not the current answer is a new value.
			call("PUT", "/api/providers/px", `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},"proxy_config":{"type":"http","url":"http://proxy.internal:3128","password":"[REDACTED]"}}`)
			if got := s.Proxy("px"); got == nil || got.Password != "[REDACTED]" || got.Username != "" {
				t.Errorf("stored after new placeholder %+v", got)
			}
			status, body = call("PUT", "/api/providers/px", `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},"proxy_config":{"type":"socks5","url":"socks5://127.0.0.1:1080","username":"","password":"env.PROXY_PW"}}`)
			if status != 200 || member(t, body, "proxy_config") != tc.byEnv {
				t.Errorf("env-backed password: %d proxy_config %s\nwant %s", status, member(t, body, "proxy_config"), tc.byEnv)
			}
			if got := s.Proxy("px"); got == nil || got.Password != "env.PROXY_PW" {
				t.Errorf("stored env password %+v", got)
			}
		})
	}
}

const (
	allowedV1 = `{"list_models":true,"text_completion":false,"text_completion_stream":false,"chat_completion":true,"chat_completion_stream":false,` +
		`"responses":false,"responses_stream":false,"count_tokens":false,"embedding":false,"rerank":false,"ocr":false,` +
		`"speech":false,"speech_stream":false,"transcription":false,"transcription_stream":false,` +
		`"image_generation":false,"image_generation_stream":false,"image_edit":false,"image_edit_stream":false,"image_variation":false,` +
		`"video_generation":false,"video_retrieve":false,"video_download":false,"video_delete":false,"video_list":false,"video_remix":false,` +
		`"batch_create":false,"batch_list":false,"batch_retrieve":false,"batch_cancel":false,"batch_delete":false,"batch_results":false,` +
		`"file_upload":false,"file_list":false,"file_retrieve":false,"file_delete":false,"file_content":false,` +
		`"container_create":false,"container_list":false,"container_retrieve":false,"container_delete":false,` +
		`"container_file_create":false,"container_file_list":false,"container_file_retrieve":false,"container_file_content":false,"container_file_delete":false,` +
		`"passthrough":false,"passthrough_stream":false,"websocket_responses":false,"realtime":false}`
	allowedV2 = `{"list_models":true,"text_completion":false,"text_completion_stream":false,"chat_completion":true,"chat_completion_stream":false,` +
		`"responses":false,"responses_stream":false,"responses_retrieve":false,"responses_delete":false,"responses_cancel":false,"responses_input_items":false,` +
		`"count_tokens":false,"compaction":true,"embedding":false,"rerank":false,"ocr":false,` +
		`"speech":false,"speech_stream":false,"transcription":false,"transcription_stream":false,` +
		`"image_generation":false,"image_generation_stream":false,"image_edit":false,"image_edit_stream":false,"image_variation":false,` +
		`"video_generation":false,"video_retrieve":false,"video_download":false,"video_delete":false,"video_list":false,"video_remix":false,` +
		`"batch_create":false,"batch_list":false,"batch_retrieve":false,"batch_cancel":false,"batch_delete":false,"batch_results":false,` +
		`"file_upload":false,"file_list":false,"file_retrieve":false,"file_delete":false,"file_content":false,` +
		`"container_create":false,"container_list":false,"container_retrieve":false,"container_delete":false,` +
		`"container_file_create":false,"container_file_list":false,"container_file_retrieve":false,"container_file_content":false,"container_file_delete":false,` +
		`"passthrough":false,"passthrough_stream":false,"websocket_responses":false,"realtime":false,` +
		`"cached_content_create":false,"cached_content_list":false,"cached_content_retrieve":false,"cached_content_update":false,"cached_content_delete":false}`
)

// TestStructEncodedConfigs checks that allowed_requests and openai_config
// come back as the server's structs encode them, not as sent.
func TestStructEncodedConfigs(t *testing.T) {
	for _, tc := range []struct{ version, allowed string }{{"v1.5.1", allowedV1}, {"v2.2.6", allowedV2}} {
		t.Run(tc.version, func(t *testing.T) {
			_, call := versioned(t, tc.version, Options{})
			// compaction is v2-only; bogus no version knows.
			status, body := call("POST", "/api/providers", `{"provider":"c1","custom_provider_config":{"base_provider_type":"openai",`+
				`"allowed_requests":{"chat_completion":true,"List_Models":true,"compaction":true,"bogus":true,"embedding":null}},"openai_config":{}}`)
			want := `{"is_key_less":false,"base_provider_type":"openai","allowed_requests":` + tc.allowed + `}`
			if status != 200 || member(t, body, "custom_provider_config") != want {
				t.Errorf("POST: %d custom_provider_config %s\nwant %s", status, member(t, body, "custom_provider_config"), want)
			}
			if got := member(t, body, "openai_config"); got != `{"disable_store":false}` {
				t.Errorf("openai_config %s", got)
			}
			if _, body = call("GET", "/api/providers/c1", ""); member(t, body, "custom_provider_config") != want {
				t.Errorf("GET custom_provider_config %s", member(t, body, "custom_provider_config"))
			}
			// An empty allowed_requests allows nothing: every type false.
			_, body = call("PUT", "/api/providers/c1", `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},`+
				`"custom_provider_config":{"base_provider_type":"openai","allowed_requests":{}},"openai_config":{"disable_store":true,"extra":1}}`)
			none := strings.NewReplacer(":true", ":false").Replace(tc.allowed)
			if got := member(t, body, "custom_provider_config"); got != `{"is_key_less":false,"base_provider_type":"openai","allowed_requests":`+none+`}` {
				t.Errorf("empty allowed_requests: %s", got)
			}
			if got := member(t, body, "openai_config"); got != `{"disable_store":true}` {
				t.Errorf("openai_config %s", got)
			}
			status, body = call("POST", "/api/providers", `{"provider":"c2","custom_provider_config":{"base_provider_type":"openai","allowed_requests":{"chat_completion":"yes"}}}`)
			if status != 400 || !strings.Contains(body, "Mismatch type bool with value string") && !strings.Contains(body, "Invalid request payload") {
				t.Errorf("non-bool request type: %d %s", status, body)
			}
			status, body = call("POST", "/api/providers", `{"provider":"c3","openai_config":[]}`)
			if status != 400 || !strings.Contains(body, "Mismatch type schemas.OpenAIConfig with value array") && !strings.Contains(body, "Invalid request payload") {
				t.Errorf("openai_config array: %d %s", status, body)
			}
		})
	}
}

// TestPutCustomProviderValidation checks lib.ValidateCustomProviderUpdate on
// PUT /api/providers/{provider}, after the concurrency checks and before the
// retry backoff check.
func TestPutCustomProviderValidation(t *testing.T) {
	const cb = `"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1}`
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			errFor := errBody
			if version != "v1.5.1" {
				errFor = errBodyV2
			}
			bad := func(msg string) string { return errFor(400, "Invalid custom provider config: "+msg) }
			_, call := versioned(t, version, Options{Providers: []string{"plain"}})
			if status, body := call("POST", "/api/providers", `{"provider":"my-custom","custom_provider_config":{"base_provider_type":"openai"}}`); status != 200 {
				t.Fatalf("create: %d %s", status, body)
			}
			cases := []exchangeCase{
				{"removing", "PUT", "/api/providers/my-custom", `{` + cb + `}`, 400, bad("custom_provider_config cannot be removed after creation for provider my-custom"), ""},
				{"removing with null", "PUT", "/api/providers/my-custom", `{` + cb + `,"custom_provider_config":null}`, 400, bad("custom_provider_config cannot be removed after creation for provider my-custom"), ""},
				{"changing base", "PUT", "/api/providers/my-custom", `{` + cb + `,"custom_provider_config":{"base_provider_type":"anthropic"}}`, 400,
					bad("provider my-custom: base_provider_type cannot be changed from openai to anthropic after creation"), ""},
				{"concurrency first", "PUT", "/api/providers/my-custom", `{"custom_provider_config":{"base_provider_type":"anthropic"}}`, 400, errFor(400, "Concurrency must be greater than 0"), ""},
				{"before backoff", "PUT", "/api/providers/my-custom", `{` + cb + `,"network_config":{"retry_backoff_initial":50}}`, 400,
					bad("custom_provider_config cannot be removed after creation for provider my-custom"), ""},
				{"built-in name, existing", "PUT", "/api/providers/plain", `{` + cb + `,"custom_provider_config":{"base_provider_type":"openai"}}`, 200, "", ""},
				{"built-in name, new", "PUT", "/api/providers/openai", `{` + cb + `,"custom_provider_config":{"base_provider_type":"openai"}}`, 400,
					bad("custom provider validation failed: cannot be created on standard providers: openai"), ""},
				{"empty base on upsert", "PUT", "/api/providers/new-custom", `{` + cb + `,"custom_provider_config":{}}`, 400,
					bad("custom provider validation failed: base_provider_type is required"), ""},
				{"unsupported base on upsert", "PUT", "/api/providers/new-custom", `{` + cb + `,"custom_provider_config":{"base_provider_type":"azure"}}`, 400,
					bad("custom provider validation failed: unsupported base_provider_type: azure"), ""},
				{"same base, new settings", "PUT", "/api/providers/my-custom", `{` + cb + `,"custom_provider_config":{"base_provider_type":"openai","is_key_less":true}}`, 200, "", `"is_key_less":true`},
				{"upsert custom", "PUT", "/api/providers/new-custom", `{` + cb + `,"custom_provider_config":{"base_provider_type":"anthropic"}}`, 200, "", `"base_provider_type":"anthropic"`},
				{"POST on azure base", "POST", "/api/providers", `{"provider":"my-azure","custom_provider_config":{"base_provider_type":"azure"}}`, 400, errFor(400, "BaseProviderType must be a standard provider"), ""},
			}
			for _, c := range cases {
				status, body := call(c.method, c.path, c.body)
				if status != c.status || (c.want != "" && body != c.want) || !strings.Contains(body, c.contains) {
					t.Errorf("%s: %d %s", c.name, status, body)
				}
			}
			if status, _ := call("GET", "/api/providers/openai", ""); status != 404 {
				t.Errorf("refused upsert created openai: %d", status)
			}
		})
	}
}

// TestV2BaseURLCheck checks v2's SSRF check on network_config.base_url.
func TestV2BaseURLCheck(t *testing.T) {
	lookup := func(host string) ([]net.IP, error) {
		switch host {
		case "ollama.lan":
			return []net.IP{net.ParseIP("192.168.1.20")}, nil
		case "api.example.com":
			return []net.IP{net.ParseIP("93.184.215.14")}, nil
		case "dual.example.com":
			return []net.IP{net.ParseIP("::1"), net.ParseIP("10.1.2.3")}, nil
		}
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	s, call := v2(t, Options{LookupIP: lookup})
	bad := func(msg string) string { return errBodyV2(400, "Invalid base URL: "+msg) }
	post := func(name, baseURL, extra string) string {
		return `{"provider":"` + name + `","custom_provider_config":{"base_provider_type":"openai"},"network_config":{"base_url":"` + baseURL + `"` + extra + `}}`
	}
	cases := []struct {
		name, body string
		status     int
		want       string
	}{
		{"loopback", post("p1", "http://127.0.0.1:1", ""), 200, ""},
		{"ipv6 loopback", post("p2", "http://[::1]:8080/v1", ""), 200, ""},
		{"public name", post("p3", "https://api.example.com/v1", ""), 200, ""},
		{"private", post("p4", "http://10.0.0.5:8000", ""), 400, bad("private IP addresses are not allowed")},
		{"private name", post("p4", "http://ollama.lan:11434", ""), 400, bad("private IP addresses are not allowed")},
		{"private among loopback", post("p4", "http://dual.example.com", ""), 400, bad("private IP addresses are not allowed")},
		{"unique local", post("p4", "http://[fd00::1]", ""), 400, bad("private IP addresses are not allowed")},
		{"private allowed", post("p5", "http://ollama.lan:11434", `,"allow_private_network":true`), 200, `"allow_private_network":true`},
		{"link-local", post("p4", "http://169.254.169.254/latest", `,"allow_private_network":true`), 400, bad("link-local IP addresses are not allowed")},
		{"6to4 link-local", post("p4", "http://[2002:a9fe:a9fe::]", `,"allow_private_network":true`), 400, bad("link-local IP addresses are not allowed")},
		{"unspecified", post("p4", "http://0.0.0.0:80", ""), 400, bad("unspecified IP addresses are not allowed")},
		{"scheme", post("p4", "ftp://files.example.com", ""), 400, bad("only https and http schemes are allowed, got: ftp")},
		{"no scheme", post("p4", "llm.example.com/v1", ""), 400, bad("only https and http schemes are allowed, got: ")},
		{"no host", post("p4", "http:///v1", ""), 400, bad("URL must have a hostname")},
		{"parse", post("p4", "http://[::1", ""), 400, bad(`invalid URL format: parse "http://[::1": missing ']' in host`)},
		{"unresolvable", post("p4", "https://llm.nowhere", ""), 400, bad("failed to resolve hostname: lookup llm.nowhere: no such host")},
		// The check follows the backoff check and precedes the 409.
		{"backoff first", post("p1", "http://10.0.0.5", `,"retry_backoff_initial":50`), 400, errBodyV2(400, "Invalid retry backoff: retry backoff initial must be at least 100ms")},
		{"before conflict", post("p1", "http://10.0.0.5", ""), 400, bad("private IP addresses are not allowed")},
	}
	for _, c := range cases {
		status, body := call("POST", "/api/providers", c.body)
		if status != c.status || (c.status == 400 && body != c.want) || (c.status == 200 && !strings.Contains(body, c.want)) {
			t.Errorf("%s: %d %s", c.name, status, body)
		}
	}
	const cb = `"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},"custom_provider_config":{"base_provider_type":"openai"}`
	for _, c := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"PUT private", `{` + cb + `,"network_config":{"base_url":"http://192.168.0.10"}}`, 400, bad("private IP addresses are not allowed")},
		{"PUT custom first", `{"concurrency_and_buffer_size":{"concurrency":1,"buffer_size":1},"network_config":{"base_url":"http://192.168.0.10"}}`, 400,
			errBodyV2(400, "Invalid custom provider config: custom_provider_config cannot be removed after creation for provider p1")},
		{"PUT backoff first", `{` + cb + `,"network_config":{"base_url":"http://192.168.0.10","retry_backoff_max":50}}`, 400,
			errBodyV2(400, "Invalid retry backoff: retry backoff max must be at least 100ms")},
		{"PUT allowed", `{` + cb + `,"network_config":{"base_url":"http://192.168.0.10","allow_private_network":true}}`, 200, `"allow_private_network":true`},
		{"PUT without network_config", `{` + cb + `}`, 200, `"base_url":"http://192.168.0.10"`},
	} {
		status, body := call("PUT", "/api/providers/p1", c.body)
		if status != c.status || (c.status == 400 && body != c.want) || (c.status == 200 && !strings.Contains(body, c.want)) {
			t.Errorf("%s: %d %s", c.name, status, body)
		}
	}
	if got := s.Providers(); strings.Join(got, ",") != "p1,p2,p3,p5" {
		t.Errorf("providers %v", got)
	}

	// The built-in stand-in for DNS: localhost is loopback, .invalid does not
	// resolve, any other name is public.
	_, call = v2(t, Options{})
	for host, want := range map[string]string{
		"localhost":       "",
		"api.example.com": "",
		"llm.invalid":     "failed to resolve hostname: lookup llm.invalid: no such host",
	} {
		status, body := call("PUT", "/api/providers/d-"+strings.ReplaceAll(host, ".", "-"), `{`+cb+`,"network_config":{"base_url":"http://`+host+`"}}`)
		if (want == "" && status != 200) || (want != "" && body != bad(want)) {
			t.Errorf("%s: %d %s", host, status, body)
		}
	}

	// v1.5 has no such check and does not know allow_private_network.
	old := startServer(t, Options{})
	status, body := do(t, old, "POST", "/api/providers", post("lan", "http://10.0.0.5", `,"allow_private_network":true`))
	if status != 200 || strings.Contains(body, "allow_private_network") {
		t.Errorf("v1.5: %d %s", status, body)
	}
}

func TestLookupIPDefault(t *testing.T) {
	s := New(Options{})
	if _, err := s.lookupIP("x.invalid"); !errors.As(err, new(*net.DNSError)) {
		t.Errorf("x.invalid: %v", err)
	}
}
