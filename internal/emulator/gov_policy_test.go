package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestPolicyRoutingRuleRules covers the routing-rule checks of
// governance.md §2.4 that the recordings do not show, in handler order.
func TestPolicyRoutingRuleRules(t *testing.T) {
	s := startServer(t, Options{})
	bad := func(msg string) string { return errBody(400, msg) }
	const target = `"targets":[{"provider":"openai","weight":1}]`
	runCases(t, s, []exchangeCase{
		{"invalid JSON", "POST", "/api/governance/routing-rules", `{"name":1}`, 400, bad("Invalid JSON"), ""},
		{"no name", "POST", "/api/governance/routing-rules", `{` + target + `}`, 400, bad("name field is required"), ""},
		{"no targets", "POST", "/api/governance/routing-rules", `{"name":"r","targets":[]}`, 400, bad("at least one target is required"), ""},
		{"zero weight", "POST", "/api/governance/routing-rules", `{"name":"r","targets":[{"weight":0}]}`, 400, bad("each target weight must be positive"), ""},
		{"key without provider", "POST", "/api/governance/routing-rules", `{"name":"r","targets":[{"key_id":"k","weight":1}]}`, 400, bad("key_id requires provider to be set"), ""},
		{"duplicate target", "POST", "/api/governance/routing-rules", `{"name":"r","targets":[{"provider":"OpenAI","weight":0.5},{"provider":"openai","weight":0.5}]}`, 400,
			bad(`duplicate target entry: provider="openai" model="" key_id=""`), ""},
		{"empty fallback", "POST", "/api/governance/routing-rules", `{"name":"r",` + target + `,"fallbacks":[" "]}`, 400, bad("fallbacks[0] must not be empty"), ""},
		{"unknown fallback provider", "POST", "/api/governance/routing-rules", `{"name":"r",` + target + `,"fallbacks":["azure/","nope/x"]}`, 400,
			bad(`fallbacks[1] "nope/x" is invalid: must use a known provider prefix (e.g. "openai/gpt-4o" or "azure/" for the incoming model)`), ""},
		{"bad scope", "POST", "/api/governance/routing-rules", `{"name":"r",` + target + `,"scope":"org"}`, 400,
			bad(`invalid scope "org": must be one of: global, team, customer, virtual_key`), ""},
		{"full rule", "POST", "/api/governance/routing-rules", `{"name":"r","description":"d","chain_rule":true,"enabled":false,"priority":3,` + target +
			`,"fallbacks":["azure/"],"query":{"b":1,"a":"<x>"},"scope_id":"dropped for global"}`, 200, "",
			`"targets":[{"provider":"openai","weight":1}],"fallbacks":["azure/"],"query":{"a":"\u003cx\u003e","b":1},"scope":"global","scope_id":null,"chain_rule":true,"priority":3,`},
		{"same priority other scope", "POST", "/api/governance/routing-rules", `{"name":"t","priority":3,"scope":"team","scope_id":"t1",` + target + `}`, 200, "", `"scope_id":"t1"`},
		{"same name, team scope", "POST", "/api/governance/routing-rules", `{"name":"t","priority":4,"scope":"team","scope_id":"t1",` + target + `}`, 500,
			errBody(500, "Failed to create routing rule: a record with this name already exists. Please use a different value"), ""},
		{"list by scope", "GET", "/api/governance/routing-rules?scope=team&limit=x", "", 200, "", `{"count":1,"limit":1,"offset":0,"rules":[{`},
		{"list bad limit", "GET", "/api/governance/routing-rules?limit=x", "", 400, bad("Invalid limit parameter: must be a number"), ""},
		{"list paged", "GET", "/api/governance/routing-rules?limit=1&offset=1", "", 200, "", `"count":1,"limit":1,"offset":1,"rules":[{`},
		{"update unknown", "PUT", "/api/governance/routing-rules/nope", `{}`, 404, errBody(404, "Routing rule not found"), ""},
	})
	var first, team string
	for _, r := range s.policy.rules {
		if r.scope == "global" {
			first = r.id
		} else {
			team = r.id
		}
	}
	runCases(t, s, []exchangeCase{
		{"empty targets on update", "PUT", "/api/governance/routing-rules/" + first, `{"targets":[]}`, 400, bad("at least one routing target is required"), ""},
		{"scope without id", "PUT", "/api/governance/routing-rules/" + first, `{"scope":"customer"}`, 400, bad("scope_id field is required when scope is not global"), ""},
		{"priority collision", "PUT", "/api/governance/routing-rules/" + team, `{"scope":"global","priority":3}`, 500,
			errBody(500, "Failed to update routing rule in database: routing rule with priority 3 already exists for scope 'global'"), ""},
		{"partial update keeps the rest", "PUT", "/api/governance/routing-rules/" + first, `{"name":"","fallbacks":[],"query":{}}`, 200, "",
			`"name":"r","description":"d","enabled":false,"cel_expression":"","targets":[{"provider":"openai","weight":1}],"scope":"global"`},
		{"to global drops scope_id", "PUT", "/api/governance/routing-rules/" + team, `{"scope":"global","priority":4}`, 200, "", `"scope":"global","scope_id":null,"chain_rule":false,"priority":4`},
		{"list by priority", "GET", "/api/governance/routing-rules", "", 200, "", `"name":"r"`},
	})
	s.LockWrites(1, 1)
	runCases(t, s, []exchangeCase{
		{"locked", "DELETE", "/api/governance/routing-rules/" + first, "", 500, errBody(500, "Failed to delete routing rule from database: database is locked"), ""},
	})
}

// TestPolicyRoutingRuleV2 covers v2's write-time CEL and scope_id checks.
func TestPolicyRoutingRuleV2(t *testing.T) {
	s := startServer(t, Options{Version: v2Recorded})
	bad := func(msg string) string { return errBodyV2(400, msg) }
	const target = `"targets":[{"provider":"openai","weight":1}]`
	runCases(t, s, []exchangeCase{
		{"undeclared variable", "POST", "/api/governance/routing-rules", `{"name":"r",` + target + `,"cel_expression":"foo == 1"}`, 400, "",
			`"invalid CEL expression: CEL compile error: ERROR: \u003cinput\u003e:1:1: undeclared reference to 'foo' (in container '')\n | foo == 1\n | ^"`},
		{"no operator", "POST", "/api/governance/routing-rules", `{"name":"r",` + target + `,"cel_expression":"model"}`, 400,
			bad("invalid CEL expression: expression must contain at least one operator: model"), ""},
		{"unknown customer", "POST", "/api/governance/routing-rules", `{"name":"r",` + target + `,"scope":"customer","scope_id":"c"}`, 400,
			bad("customer 'c' not found: routing rule scope_id not found"), ""},
		{"unknown virtual key", "POST", "/api/governance/routing-rules", `{"name":"r",` + target + `,"scope":"virtual_key","scope_id":"v"}`, 400,
			bad("virtual key 'v' not found: routing rule scope_id not found"), ""},
		{"header keys are lowercased", "POST", "/api/governance/routing-rules", `{"name":"r",` + target + `,"cel_expression":"headers['X-Team'] == 'a' && 'Region' in params"}`, 200, "",
			`"cel_expression":"headers['X-Team'] == 'a' \u0026\u0026 'Region' in params"`},
	})
	id := s.policy.rules[0].id
	runCases(t, s, []exchangeCase{
		{"CEL checked on update", "PUT", "/api/governance/routing-rules/" + id, `{"cel_expression":"((("}`, 400, "", "invalid CEL expression: CEL compile error: ERROR: "},
		{"stored CEL not rechecked", "PUT", "/api/governance/routing-rules/" + id, `{"enabled":false}`, 200, "", `"enabled":false`},
	})
}

// TestPolicyPricingOverrideRules covers PricingOverride.IsValid and the
// merge semantics of PUT (governance.md §2.7).
func TestPolicyPricingOverrideRules(t *testing.T) {
	s := startServer(t, Options{})
	bad := func(msg string) string { return errBody(400, msg) }
	post := func(body string) string {
		return `{"name":"n","match_type":"exact","pattern":"gpt-4o","request_types":["chat_completion"],` + body + `}`
	}
	const path = "/api/governance/pricing-overrides"
	runCases(t, s, []exchangeCase{
		{"invalid JSON", "POST", path, `{"patch":{"input_cost_per_token":"1"}}`, 400, bad("Invalid JSON"), ""},
		{"no name", "POST", path, `{"name":"  "}`, 400, bad("name is required"), ""},
		{"bad scope kind", "POST", path, post(`"scope_kind":"team"`), 400, bad(`unsupported scope_kind "team"`), ""},
		{"global with ids", "POST", path, post(`"scope_kind":"global","provider_id":"openai"`), 400, bad("global scope_kind must not include scope identifiers"), ""},
		{"empty id counts as sent", "POST", path, post(`"scope_kind":"provider","provider_id":"openai","virtual_key_id":""`), 400, bad("provider scope_kind only supports provider_id"), ""},
		{"provider key", "POST", path, post(`"scope_kind":"provider_key"`), 400, bad("provider_key_id is required for provider_key scope_kind"), ""},
		{"vk provider", "POST", path, post(`"scope_kind":"virtual_key_provider","virtual_key_id":"v"`), 400,
			bad("virtual_key_id and provider_id are required for virtual_key_provider scope_kind"), ""},
		{"exact with wildcard", "POST", path, `{"name":"n","scope_kind":"global","match_type":"exact","pattern":"gpt-*"}`, 400, bad("exact match pattern must not contain wildcards"), ""},
		{"wildcard not trailing", "POST", path, `{"name":"n","scope_kind":"global","match_type":"wildcard","pattern":"*gpt"}`, 400, bad("wildcard pattern must end with *"), ""},
		{"two wildcards", "POST", path, `{"name":"n","scope_kind":"global","match_type":"wildcard","pattern":"g*p*"}`, 400, bad("wildcard pattern must contain exactly one trailing *"), ""},
		{"bad match type", "POST", path, `{"name":"n","scope_kind":"global","match_type":"regex","pattern":"g"}`, 400, bad(`unsupported match_type "regex"`), ""},
		{"no request types", "POST", path, `{"name":"n","scope_kind":"global","match_type":"exact","pattern":"g"}`, 400, bad("request_types is required and must contain at least one value"), ""},
		{"unknown request type", "POST", path, `{"name":"n","scope_kind":"global","match_type":"exact","pattern":"g","request_types":["batch"]}`, 400, bad(`unsupported request_type "batch"`), ""},
		{"patch re-encoded", "POST", path, post(`"scope_kind":"provider","provider_id":" openai ","virtual_key_id":null,"pattern":" gpt-4o ","patch":{"foo":1,"OUTPUT_COST_PER_TOKEN":2e-7,"input_cost_per_token":null,"input_cost_per_token_batches":1}`), 201, "",
			`"scope_kind":"provider","provider_id":"openai","match_type":"exact","pattern":"gpt-4o","pricing_patch":"{\"output_cost_per_token\":2e-7,\"input_cost_per_token_batches\":1}"`},
		{"second, global", "POST", path, post(`"scope_kind":"global","patch":null`), 201, "", `"pricing_patch":"{}"`},
		{"filter", "GET", path + "?provider_id=openai", "", 200, "", `{"count":1,"limit":1,"offset":0,"pricing_overrides":[{`},
		{"search", "GET", path + "?search=N&limit=1&offset=1", "", 200, "", `{"count":1,"limit":1,"offset":1,"pricing_overrides":[{`},
		{"update unknown", "PUT", path + "/nope", `{}`, 404, errBody(404, "Pricing override not found"), ""},
	})
	id := s.policy.overrides[0].id
	runCases(t, s, []exchangeCase{
		{"null clears an id", "PUT", path + "/" + id, `{"provider_id":null}`, 400, bad("provider_id is required for provider scope_kind"), ""},
		{"new scope kind drops ids", "PUT", path + "/" + id, `{"scope_kind":"global","name":" renamed "}`, 200, "",
			`"name":"renamed","scope_kind":"global","match_type":"exact","pattern":"gpt-4o","pricing_patch":"{\"output_cost_per_token\":2e-7,\"input_cost_per_token_batches\":1}"`},
	})
}

// TestPolicyPlugins covers plugin create, the raw-row GET, the upsert PUT
// and DELETE (governance.md §2.9).
func TestPolicyPlugins(t *testing.T) {
	s := startServer(t, Options{})
	runCases(t, s, []exchangeCase{
		{"invalid body", "POST", "/api/plugins", `{"config":[]}`, 400, errBody(400, "Invalid request body"), ""},
		{"no name", "POST", "/api/plugins", `{}`, 400, errBody(400, "Plugin name is required"), ""},
		{"bad placement", "POST", "/api/plugins", `{"name":"x","placement":"middle"}`, 400,
			errBody(400, "Invalid placement value. Must be 'pre_builtin' or 'post_builtin'"), ""},
		{"create built-in", "POST", "/api/plugins", `{"name":"otel","enabled":true,"path":"/x.so","config":{"z":1,"a":"<b>"},"order":2}`, 201,
			`{"message":"Plugin created successfully","plugin":{"name":"otel","actualName":"otel","enabled":true,"config":{"a":"\u003cb\u003e","z":1},"isCustom":false,"path":null,"order":2,"status":{"name":"otel","status":"active","logs":[]}}}` + "\n", ""},
		{"duplicate", "POST", "/api/plugins", `{"name":"otel"}`, 409, errBody(409, "Plugin already exists"), ""},
		{"raw row", "GET", "/api/plugins/otel", "", 200, "", `{"id":1,"name":"otel","enabled":true,"created_at":"`},
		{"upsert bad body keeps the row", "PUT", "/api/plugins/custom", `[]`, 400, errBody(400, "Invalid request body"), ""},
		{"row created", "GET", "/api/plugins/custom", "", 200, "", `"isCustom":false,"config_hash":"","config":{}}`},
		{"upsert replaces", "PUT", "/api/plugins/custom", `{"path":"/p.so","placement":"pre_builtin"}`, 200,
			`{"message":"Plugin updated successfully","plugin":{"name":"custom","actualName":"custom","enabled":false,"config":{},"isCustom":true,"path":"/p.so","placement":"pre_builtin","status":{"name":"custom","status":"disabled","logs":[]}}}` + "\n", ""},
		{"list", "GET", "/api/plugins/", "", 200, "", `{"count":2,"plugins":[{"name":"otel"`},
		{"delete", "DELETE", "/api/plugins/custom", "", 200, `{"message":"Plugin deleted successfully"}` + "\n", ""},
		{"gone", "GET", "/api/plugins/custom", "", 404, errBody(404, "Plugin not found"), ""},
	})
	_, call := versioned(t, "v2.2.6", Options{})
	if status, body := call("DELETE", "/api/plugins/nope", ""); status != 404 || body != errBodyV2(404, "Plugin not found") {
		t.Errorf("v2 DELETE unknown: %d %s", status, body)
	}
}

// TestPolicyMCPClients covers the MCP client checks before the connection,
// the connection failure per transport, and the routes per build.
func TestPolicyMCPClients(t *testing.T) {
	s := startServer(t, Options{MCPConnectDelay: -1, Env: map[string]string{"MCP_URL": "http://mcp.internal/mcp"}})
	bad := func(msg string) string { return errBody(400, msg) }
	runCases(t, s, []exchangeCase{
		{"invalid body", "POST", "/api/mcp/client", `{"name":1}`, 400, "",
			"Invalid request format: json: cannot unmarshal number into Go struct field MCPClientRequest.TableMCPClient.name of type string"},
		{"mixed wildcard", "POST", "/api/mcp/client", `{"name":"a","tools_to_execute":["*","x"]}`, 400,
			bad("Invalid tools_to_execute: invalid tools_to_execute: wildcard '*' cannot be used with other values in the whitelist"), ""},
		{"auto not allowed", "POST", "/api/mcp/client", `{"name":"a","tools_to_execute":["x"],"tools_to_auto_execute":["y"]}`, 400,
			bad("Invalid tools_to_auto_execute: tool 'y' in tools_to_auto_execute is not in tools_to_execute"), ""},
		{"auto cleared without tools", "POST", "/api/mcp/client", `{"name":"1a","tools_to_auto_execute":["y"]}`, 400, bad("Invalid client name: name cannot start with a number"), ""},
		{"space", "POST", "/api/mcp/client", `{"name":"a b"}`, 400, bad("Invalid client name: name cannot contain spaces"), ""},
		{"duplicate header", "POST", "/api/mcp/client", `{"name":"a","allowed_extra_headers":["X-A","x-a"]}`, 400,
			bad("Invalid allowed_extra_headers: invalid allowed_extra_headers: duplicate value 'x-a' in whitelist"), ""},
		{"oauth needs config", "POST", "/api/mcp/client", `{"name":"a","auth_type":"oauth"}`, 400, bad("OAuth configuration is required when auth_type is 'oauth'"), ""},
		{"env connection string", "POST", "/api/mcp/client", `{"name":"a","connection_type":"http","connection_string":"env.MCP_URL"}`, 500, "",
			`initialize MCP client a after 5 retries: transport error: failed to send request: failed to send request: Post \"http://mcp.internal/mcp\": context deadline exceeded"`},
		{"stdio", "POST", "/api/mcp/client", `{"name":"a","connection_type":"stdio","stdio_config":{"command":"npx"}}`, 500, "", `exec: \"npx\": executable file not found`},
		{"paged list", "GET", "/api/mcp/clients?limit=5", "", 200, `{"clients":[],"count":0,"limit":5,"offset":0,"total_count":0}` + "\n", ""},
		{"update bad body", "PUT", "/api/mcp/client/x", `{"vk_configs":{}}`, 400, "", "Invalid request format: "},
		{"no GET by id", "GET", "/api/mcp/client/x", "", 200, spaPage, ""},
	})
	slow := startServer(t, Options{MCPConnectDelay: 150 * time.Millisecond})
	start := time.Now()
	if status, _ := do(t, slow, "POST", "/api/mcp/client", `{"name":"a","connection_string":"http://127.0.0.1:9/mcp"}`); status != 500 || time.Since(start) < 150*time.Millisecond {
		t.Errorf("create: status %d after %v, want 500 after the delay", status, time.Since(start))
	}
	_, call := versioned(t, "v2.2.6", Options{})
	if status, body := call("PUT", "/api/mcp/client/x", `{"name":"x"}`); status != 404 || body != errBodyV2(404, "MCP client not found") {
		t.Errorf("v2.2.6 keeps MCP routes: %d %s", status, body)
	}
	lite := startServer(t, Options{Version: v2Recorded, Username: "u", Password: "p"})
	if status, body := do(t, lite, "GET", "/api/mcp/client/x", ""); status != 200 || body != spaPage {
		t.Errorf("lite GET: %d %s", status, body)
	}
}

// TestPolicyClientConfig covers PUT /api/config's mixed semantics, its
// checks, the pricing URL fetch and the proxy configuration rules.
func TestPolicyClientConfig(t *testing.T) {
	datasheet := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ok" {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(datasheet.Close)
	s := startServer(t, Options{Username: "admin", Password: "pw"})
	auth := []string{"Authorization", "Basic YWRtaW46cHc="}
	put := func(body string) (int, string) { return do(t, s, "PUT", "/api/config", body, auth...) }
	bad := func(msg string) string { return errBody(400, msg) }
	for _, c := range []struct{ body, want string }{
		{`{"client_config":{"log_retention_days":"7"}}`, "Invalid request format: json: cannot unmarshal"},
		{`{"framework_config":{"pricing_sync_interval":0}}`, bad("pricing sync interval must be greater than 0")},
		{`{"client_config":{"mcp_code_mode_binding_level":"x"}}`, bad("mcp_code_mode_binding_level must be 'server' or 'tool'")},
		{`{"client_config":{"header_filter_config":{"allowlist":["X-*-Y"]}}}`, bad(`invalid pattern "x-*-y": wildcard (*) is only supported at the end of a pattern`)},
		{`{"client_config":{"header_filter_config":{"denylist":["Cookie","x-bf-vk","cookie"]}}}`,
			bad("the following headers are not allowed to be configured: cookie, x-bf-vk. These headers are security headers and are always blocked")},
		{`{"framework_config":{"pricing_url":"` + datasheet.URL + `/missing"},"client_config":{"log_retention_days":1}}`,
			errBody(500, "failed to check the accessibility of the pricing URL: 404")},
	} {
		if status, body := put(c.body); status/100 == 2 || !strings.Contains(body, strings.TrimSuffix(c.want, "\n")) {
			t.Errorf("PUT %s: %d %s, want %s", c.body, status, body, c.want)
		}
	}
	if status, body := put(`{"client_config":{"log_retention_days":7,"initial_pool_size":0,"prometheus_labels":[],"compat":{"should_drop_params":true},` +
		`"header_filter_config":{"allowlist":[" X-A ",""]}},"framework_config":{"pricing_url":"` + datasheet.URL + `/ok","pricing_sync_interval":60}}`); status != 200 ||
		body != `{"message":"configuration updated successfully","status":"success"}`+"\n" {
		t.Fatalf("PUT: %d %s", status, body)
	}
	_, body := do(t, s, "GET", "/api/config", "", auth...)
	for _, want := range []string{
		`{"auth_config":{"admin_password":{"value":"\u003credacted\u003e","env_var":"","from_env":false},"admin_username":{"value":"admin","env_var":"","from_env":false},"disable_auth_on_inference":false,"is_enabled":true},`,
		`"initial_pool_size":5000,"prometheus_labels":[],"enable_logging":true,`,
		`"log_retention_days":7,"enforce_auth_on_inference":false,"max_request_body_size_mb":100,"compat":{"convert_text_to_chat":false,"convert_chat_to_responses":false,"should_drop_params":true,"should_convert_params":false},`,
		`"header_filter_config":{"allowlist":["x-a"],"denylist":null},"async_job_result_ttl":0,`,
		`"framework_config":{"id":0,"pricing_url":"` + datasheet.URL + `/ok","pricing_sync_interval":60}`,
		`"restart_required":{"required":true,"reason":"Allowed origins settings have been updated. A restart is required for changes to take full effect."}}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /api/config lacks %s in %s", want, body)
		}
	}
	runCases(t, startServer(t, Options{}), []exchangeCase{
		{"socks5", "PUT", "/api/proxy-config", `{"enabled":true,"type":"socks5"}`, 400, bad("proxy type socks5 is not yet supported"), ""},
		{"unknown type", "PUT", "/api/proxy-config", `{"enabled":true,"type":"ftp"}`, 400, bad("invalid proxy type: ftp"), ""},
		{"no url", "PUT", "/api/proxy-config", `{"enabled":true,"type":"http"}`, 400, bad("proxy URL is required when proxy is enabled"), ""},
		{"negative timeout", "PUT", "/api/proxy-config", `{"enabled":true,"type":"http","url":"http://p","timeout":-1}`, 400, bad("proxy timeout must be non-negative"), ""},
		{"disabled is not checked", "PUT", "/api/proxy-config", `{"type":"socks5","password":"pw","no_proxy":"x"}`, 200, "", ""},
		{"redaction keeps the password", "PUT", "/api/proxy-config", `{"type":"http","password":"<redacted>","skip_tls_verify":true}`, 200, "", ""},
		{"read back", "GET", "/api/proxy-config", "", 200,
			`{"enabled":false,"type":"http","url":"","password":"\u003credacted\u003e","timeout":0,"skip_tls_verify":true,"enable_for_scim":false,"enable_for_inference":false,"enable_for_api":false}` + "\n", ""},
		{"config shows it", "GET", "/api/config", "", 200, "",
			`"proxy_config":{"enabled":false,"type":"http","url":"","password":"\u003credacted\u003e","timeout":0,"skip_tls_verify":true,"enable_for_scim":false,"enable_for_inference":false,"enable_for_api":false},"restart_required":{"required":true,"reason":"Proxy configuration has been updated. A restart is required for all changes to take full effect."}}`},
	})
}
