package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

// jsonAt walks body along path (member names and list indexes) and returns
// the value found, compacted; "" when the path does not exist.
func jsonAt(t *testing.T, body string, path ...any) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return ""
			}
			if v, ok = m[p]; !ok {
				return ""
			}
		case int:
			l, ok := v.([]any)
			if !ok || p >= len(l) {
				return ""
			}
			v = l[p]
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// govClient sends requests to s, failing the test on an unexpected status.
func govClient(t *testing.T, s *Server) func(method, path, body string, status int) string {
	return func(method, path, body string, status int) string {
		t.Helper()
		got, resp := do(t, s, method, path, body)
		if got != status {
			t.Fatalf("%s %s %s: status %d, want %d: %s", method, path, body, got, status, resp)
		}
		return resp
	}
}

func unquote(s string) string { return strings.Trim(s, `"`) }

func v2ErrBody(status int, msg string) string {
	return string(enc(object{
		{"is_bifrost_error", false}, {"status_code", status},
		{"error", object{{"message", msg}}}, {"extra_fields", object{{"routing_info", object{}}}},
	})) + "\n"
}

// govSetup starts a server with provider openai and its key k1.
func govSetup(t *testing.T, version string) (*Server, func(method, path, body string, status int) string) {
	t.Helper()
	s := startServer(t, Options{Version: version, Providers: []string{"openai"}})
	call := govClient(t, s)
	call("POST", "/api/providers/openai/keys", `{"id":"k1","name":"k1","value":"sk-test-1234567890abcdefghij","models":["*"]}`, 200)
	return s, call
}

// TestGovernanceValidation covers the v1.5.1 handlers' checks the recordings
// do not show, with their 400/500 split.
func TestGovernanceValidation(t *testing.T) {
	s, _ := govSetup(t, "")
	bad := func(msg string) string { return errBody(400, msg) }
	fail := func(msg string) string { return errBody(500, msg) }
	const vks, teams, customers, mcs = "/api/governance/virtual-keys", "/api/governance/teams", "/api/governance/customers", "/api/governance/model-configs"
	runCases(t, s, []exchangeCase{
		{"vk name", "POST", vks, `{}`, 400, bad("Virtual key name is required"), ""},
		{"vk budget negative", "POST", vks, `{"name":"a","budgets":[{"max_limit":-1,"reset_duration":"1M"}]}`, 400, bad("Budget max_limit cannot be negative: -1.00"), ""},
		{"vk budget duration", "POST", vks, `{"name":"a","budgets":[{"max_limit":1,"reset_duration":"1x"}]}`, 400, bad("Invalid reset duration format: 1x"), ""},
		{"vk budget twice", "POST", vks, `{"name":"a","budgets":[{"max_limit":1,"reset_duration":"1M"},{"max_limit":2,"reset_duration":"1M"}]}`, 400, bad("Duplicate reset_duration in budgets: 1M"), ""},
		{"vk provider missing", "POST", vks, `{"name":"a","provider_configs":[{"allowed_models":["*"]}]}`, 400, bad("provider name is required"), ""},
		{"vk key ids twice", "POST", vks, `{"name":"a","provider_configs":[{"provider":"openai","key_ids":["k1","k1"]}]}`, 400, bad("invalid key_ids for provider openai: duplicate value 'k1' in whitelist"), ""},
		{"vk pc budget twice", "POST", vks, `{"name":"a","provider_configs":[{"provider":"openai","budgets":[{"max_limit":1,"reset_duration":"1d"},{"max_limit":2,"reset_duration":"1d"}]}]}`, 400, bad("duplicate reset_duration in provider config budgets: 1d"), ""},
		{"vk pc rate limit", "POST", vks, `{"name":"a","provider_configs":[{"provider":"openai","rate_limit":{"token_max_limit":0}}]}`, 500, fail("rate limit token max limit cannot be negative or zero: 0"), ""},
		{"vk mcp twice", "POST", vks, `{"name":"a","mcp_configs":[{"mcp_client_name":"x"},{"mcp_client_name":"x"}]}`, 400, bad("duplicate mcp_client_name: x"), ""},
		{"vk unknown customer", "POST", vks, `{"name":"a","customer_id":"nope"}`, 500, fail("FOREIGN KEY constraint failed"), ""},
		{"HTML-escaped body", "POST", vks, `{"name":"a<b"}`, 200, "", `"name":"a\u003cb"`},
		{"vk bad type", "POST", vks, `{"name":5}`, 400, bad("Invalid JSON"), ""},
		{"team name", "POST", teams, `{}`, 400, bad("Team name is required"), ""},
		{"team budget twice", "POST", teams, `{"name":"t","budgets":[{"max_limit":1,"reset_duration":"1d"},{"max_limit":1,"reset_duration":"1d"}]}`, 400, bad("duplicate reset_duration in budgets: 1d"), ""},
		{"team budget zero", "POST", teams, `{"name":"t","budgets":[{"max_limit":0,"reset_duration":"1d"}]}`, 500, fail("failed to create team"), ""},
		{"customer budget negative", "POST", customers, `{"name":"c","budget":{"max_limit":-1,"reset_duration":"1M"}}`, 400, bad("Budget max_limit cannot be negative: -1.00"), ""},
		{"customer rate limit", "POST", customers, `{"name":"c","rate_limit":{"request_max_limit":5}}`, 400, bad("Invalid rate limit: rate limit request reset duration is required"), ""},
		{"model name", "POST", mcs, `{}`, 400, bad("Model name is required"), ""},
		{"model budget duration", "POST", mcs, `{"model_name":"m","budget":{"max_limit":1,"reset_duration":"1x"}}`, 400, bad("Invalid reset duration format: 1x"), ""},
		{"model rate limit", "POST", mcs, `{"model_name":"m","rate_limit":{"token_max_limit":0}}`, 500, fail("Failed to create model config: rate limit token max limit cannot be negative or zero: 0"), ""},
		{"vk limit not a number", "GET", vks + "?limit=abc", "", 400, bad("Invalid limit parameter: must be a number"), ""},
		{"vk offset negative", "GET", vks + "?offset=-1", "", 400, bad("Invalid offset parameter: must be non-negative"), ""},
		{"teams limit lenient", "GET", teams + "?limit=abc", "", 200, `{"count":0,"limit":25,"offset":0,"teams":[],"total_count":0}` + "\n", ""},
		{"provider governance unknown", "DELETE", "/api/governance/providers/mistral", "", 404, errBody(404, "Provider not found"), ""},
		{"provider governance GET", "GET", "/api/governance/providers/openai", "", 200, spaPage, ""},
		{"budgets are read-only", "POST", "/api/governance/budgets", `{}`, 405, "Method Not Allowed", ""},
		{"no rotate on v1.5", "POST", vks + "/x/rotate", "", 404, "", ""},
	})
}

// TestVirtualKeyUpdateRules checks the v1.5.1 PUT semantics of governance.md
// §2.1 that no recording exercises.
func TestVirtualKeyUpdateRules(t *testing.T) {
	_, call := govSetup(t, "")
	team := unquote(jsonAt(t, call("POST", "/api/governance/teams", `{"name":"t"}`, 200), "team", "id"))
	cust := unquote(jsonAt(t, call("POST", "/api/governance/customers", `{"name":"c"}`, 200), "customer", "id"))
	body := call("POST", "/api/governance/virtual-keys", `{"name":"vk","team_id":"`+team+`",
		"budgets":[{"max_limit":50,"reset_duration":"1M"},{"max_limit":5,"reset_duration":"1d"}],
		"rate_limit":{"token_max_limit":100,"token_reset_duration":"1h","request_max_limit":5,"request_reset_duration":"1m"},
		"provider_configs":[{"provider":"openai","key_ids":["k1"],"budgets":[{"max_limit":3,"reset_duration":"1d"}],"rate_limit":{"request_max_limit":2,"request_reset_duration":"1m"}}]}`, 200)
	id := unquote(jsonAt(t, body, "virtual_key", "id"))
	path := "/api/governance/virtual-keys/" + id
	monthly := jsonAt(t, body, "virtual_key", "budgets", 0, "id")
	rl := jsonAt(t, body, "virtual_key", "rate_limit_id")
	pcBudget := jsonAt(t, body, "virtual_key", "provider_configs", 0, "budgets", 0, "id")

	// Budgets reconcile by reset_duration; the rate limit is patched per field.
	body = call("PUT", path, `{"team_id":"`+team+`","budgets":[{"max_limit":70,"reset_duration":"1M"},{"max_limit":3,"reset_duration":"1w"}],"rate_limit":{"token_max_limit":200}}`, 200)
	vk := jsonAt(t, body, "virtual_key")
	for _, c := range []struct{ got, want string }{
		{jsonAt(t, vk, "budgets", 0, "id"), monthly},
		{jsonAt(t, vk, "budgets", 0, "max_limit"), "70"},
		{jsonAt(t, vk, "budgets", 1, "reset_duration"), `"1w"`},
		{jsonAt(t, vk, "budgets", 2), ""},
		{jsonAt(t, vk, "rate_limit_id"), rl},
		{jsonAt(t, vk, "rate_limit", "token_max_limit"), "200"},
		{jsonAt(t, vk, "rate_limit", "token_reset_duration"), `"1h"`},
		{jsonAt(t, vk, "rate_limit", "request_max_limit"), "5"},
		{jsonAt(t, vk, "provider_configs", 0, "budgets", 0, "id"), pcBudget},
		{jsonAt(t, vk, "provider_configs", 0, "keys", 0, "key_id"), `"k1"`},
		{jsonAt(t, vk, "team_id"), `"` + team + `"`},
	} {
		if c.got != c.want {
			t.Errorf("after budgets/rate limit PUT: got %s, want %s in %s", c.got, c.want, vk)
		}
	}

	// One owner replaces the other; sending neither clears both.
	body = call("PUT", path, `{"customer_id":"`+cust+`"}`, 200)
	if jsonAt(t, body, "virtual_key", "team_id") != "" || jsonAt(t, body, "virtual_key", "customer", "virtual_keys", 0, "id") != `"`+id+`"` {
		t.Errorf("move to customer: %s", body)
	}
	if body = call("PUT", path, `{}`, 200); jsonAt(t, body, "virtual_key", "customer_id") != "" {
		t.Errorf("PUT {} kept the customer: %s", body)
	}

	// A config sent with its id keeps its budgets (matched by duration) and
	// loses its keys when key_ids is left out; {} removes its rate limit.
	body = call("PUT", path, `{"provider_configs":[{"id":1,"provider":"openai","budgets":[{"max_limit":4,"reset_duration":"1d"}],"rate_limit":{}}]}`, 200)
	pc := jsonAt(t, body, "virtual_key", "provider_configs", 0)
	if jsonAt(t, pc, "budgets", 0, "id") != pcBudget || jsonAt(t, pc, "budgets", 0, "max_limit") != "4" ||
		jsonAt(t, pc, "rate_limit") != "" || jsonAt(t, pc, "keys") != "[]" || jsonAt(t, pc, "allow_all_keys") != "false" {
		t.Errorf("provider config with id: %s", pc)
	}
	before := call("GET", path, "", 200)
	call("PUT", path, `{"provider_configs":[{"id":99,"provider":"openai"}]}`, 500)
	if after := call("GET", path, "", 200); after != before {
		t.Errorf("a failed PUT changed the key:\n%s\n%s", before, after)
	}
	body = call("PUT", path, `{"provider_configs":[]}`, 200)
	if jsonAt(t, body, "virtual_key", "provider_configs") != "[]" || strings.Contains(call("GET", "/api/governance/budgets", "", 200), unquote(pcBudget)) {
		t.Errorf("provider configs [] left %s", body)
	}
	for _, c := range []struct{ body, want string }{
		{`{"provider_configs":[{"id":99,"provider":"openai"}]}`, errBody(500, "Failed to update virtual key: provider config 99 does not belong to this virtual key")},
		{`{"budgets":[{"max_limit":1,"reset_duration":"1x"}]}`, errBody(400, "Failed to update virtual key: invalid reset duration format: 1x")},
		{`{"team_id":"nope"}`, errBody(500, "Failed to update virtual key: FOREIGN KEY constraint failed")},
		{`{"team_id":"a","customer_id":"b"}`, errBody(400, "VirtualKey cannot be attached to both Team and Customer")},
	} {
		status := 400
		if strings.Contains(c.want, `"status_code":500`) {
			status = 500
		}
		if got := call("PUT", path, c.body, status); got != c.want {
			t.Errorf("PUT %s: %s, want %s", c.body, got, c.want)
		}
	}
	call("DELETE", path, "", 200)
	if got := call("GET", "/api/governance/budgets", "", 200); got != `{"budgets":[],"count":0}`+"\n" {
		t.Errorf("budgets after delete: %s", got)
	}
}

// TestTeamCustomerModelRules checks the update rules of teams, customers,
// model configs and provider governance on v1.5.1 (governance.md §2.2–2.6).
func TestTeamCustomerModelRules(t *testing.T) {
	_, call := govSetup(t, "")
	body := call("POST", "/api/governance/teams", `{"name":"t","rate_limit":{"token_max_limit":10,"token_reset_duration":"1h","request_max_limit":5,"request_reset_duration":"1m"}}`, 200)
	team := "/api/governance/teams/" + unquote(jsonAt(t, body, "team", "id"))
	call("POST", "/api/governance/teams", `{"name":"u"}`, 200)
	if got := call("PUT", team, `{"rate_limit":{"token_max_limit":5}}`, 500); got != errBody(500, "Failed to update team") {
		t.Errorf("team rate limit without duration: %s", got)
	}
	call("PUT", team, `{"name":"u"}`, 500)
	if body = call("PUT", team, `{"rate_limit":{}}`, 200); jsonAt(t, body, "team", "rate_limit_id") != "" {
		t.Errorf("team rate limit {}: %s", body)
	}
	body = call("PUT", team, `{"budgets":[{"max_limit":1,"reset_duration":"1d","calendar_aligned":true}]}`, 200)
	if b := jsonAt(t, body, "team", "budgets", 0); !strings.HasSuffix(jsonAt(t, b, "last_reset"), `T00:00:00Z"`) || jsonAt(t, b, "calendar_aligned") != "true" {
		t.Errorf("calendar-aligned team budget: %s", b)
	}
	vk := "/api/governance/virtual-keys/" + unquote(jsonAt(t, call("POST", "/api/governance/virtual-keys", `{"name":"k","team_id":"`+team[len("/api/governance/teams/"):]+`"}`, 200), "virtual_key", "id"))
	if got := call("GET", "/api/governance/teams", "", 200); jsonAt(t, got, "teams", 0, "virtual_key_count") != "1" {
		t.Errorf("team list count: %s", got)
	}
	call("DELETE", team, "", 200)
	if body = call("GET", vk, "", 200); jsonAt(t, body, "virtual_key", "team_id") != "" {
		t.Errorf("team delete left the key attached: %s", body)
	}
	if got := call("GET", "/api/governance/budgets", "", 200); got != `{"budgets":[],"count":0}`+"\n" {
		t.Errorf("team delete left budgets: %s", got)
	}

	body = call("POST", "/api/governance/customers", `{"name":"c","budget":{"max_limit":10,"reset_duration":"1M"}}`, 200)
	cust := "/api/governance/customers/" + unquote(jsonAt(t, body, "customer", "id"))
	budget := jsonAt(t, body, "customer", "budget_id")
	body = call("PUT", cust, `{"budget":{"max_limit":20}}`, 200)
	if jsonAt(t, body, "customer", "budget", "id") != budget || jsonAt(t, body, "customer", "budget", "max_limit") != "20" || jsonAt(t, body, "customer", "budget", "reset_duration") != `"1M"` {
		t.Errorf("customer budget patch: %s", body)
	}
	if body = call("PUT", cust, `{"budget":{}}`, 200); jsonAt(t, body, "customer", "budget_id") != "" {
		t.Errorf("customer budget {}: %s", body)
	}
	for _, b := range []string{`{"budget":{"max_limit":5}}`, `{"rate_limit":{"request_max_limit":5}}`} {
		if got := call("PUT", cust, b, 500); got != errBody(500, "Failed to update customer") {
			t.Errorf("customer PUT %s: %s", b, got)
		}
	}

	call("POST", "/api/governance/model-configs", `{"model_name":"m"}`, 200)
	if got := call("POST", "/api/governance/model-configs", `{"model_name":"m"}`, 409); got != errBody(409, "Model config for model 'm' (global) already exists") {
		t.Errorf("global model config conflict: %s", got)
	}
	body = call("POST", "/api/governance/model-configs", `{"model_name":"n","rate_limit":{"token_max_limit":1,"token_reset_duration":"1h"}}`, 200)
	mc := "/api/governance/model-configs/" + unquote(jsonAt(t, body, "model_config", "id"))
	if got := call("PUT", mc, `{"budget":{"max_limit":5}}`, 500); got != errBody(500, "Failed to update model config: both max_limit and reset_duration are required when creating a new budget") {
		t.Errorf("model config new budget: %s", got)
	}
	body = call("PUT", mc, `{"rate_limit":{"request_max_limit":2,"request_reset_duration":"1m"}}`, 200)
	if jsonAt(t, body, "model_config", "rate_limit", "token_max_limit") != "" || jsonAt(t, body, "model_config", "rate_limit", "request_max_limit") != "2" {
		t.Errorf("model config rate limit replaced: %s", body)
	}

	const gov = "/api/governance/providers"
	if got := call("PUT", gov+"/openai", `{"budget":{"max_limit":1}}`, 500); got != errBody(500, "Failed to update provider governance: both max_limit and reset_duration are required when creating a new budget") {
		t.Errorf("provider budget without duration: %s", got)
	}
	call("PUT", gov+"/openai", `{"rate_limit":{"request_max_limit":3,"request_reset_duration":"1m"}}`, 200)
	if got := call("GET", gov, "", 200); jsonAt(t, got, "count") != "1" || jsonAt(t, got, "providers", 0, "rate_limit", "request_max_limit") != "3" {
		t.Errorf("provider governance list: %s", got)
	}
	call("DELETE", gov+"/openai", "", 200)
	if got := call("GET", gov, "", 200); got != `{"count":0,"providers":null}`+"\n" {
		t.Errorf("provider governance after delete: %s", got)
	}
}

// TestGovernanceLockedWrites checks that governance writes honour
// LockWrites with each handler's error for a failed store write.
func TestGovernanceLockedWrites(t *testing.T) {
	s, call := govSetup(t, "")
	cust := unquote(jsonAt(t, call("POST", "/api/governance/customers", `{"name":"c"}`, 200), "customer", "id"))
	vk := unquote(jsonAt(t, call("POST", "/api/governance/virtual-keys", `{"name":"k"}`, 200), "virtual_key", "id"))
	s.LockWrites(1, 1)
	for _, c := range []struct{ method, path, body, msg string }{
		{"POST", "/api/governance/virtual-keys", `{"name":"x"}`, "database is locked"},
		{"PUT", "/api/governance/virtual-keys/" + vk, `{}`, "Failed to update virtual key: database is locked"},
		{"POST", "/api/governance/teams", `{"name":"t"}`, "failed to create team"},
		{"POST", "/api/governance/model-configs", `{"model_name":"m"}`, "Failed to create model config: database is locked"},
		{"PUT", "/api/governance/providers/openai", `{}`, "Failed to update provider governance: database is locked"},
		{"DELETE", "/api/governance/customers/" + cust, "", "Failed to delete customer"},
	} {
		if got := call(c.method, c.path, c.body, 500); got != errBody(500, c.msg) {
			t.Errorf("%s %s: %s", c.method, c.path, got)
		}
	}
	s.LockWrites(0, 1)
	call("DELETE", "/api/governance/customers/"+cust, "", 200)
}

// TestGovernanceV2Rules checks v2 behaviour no recording shows (§6 item 12).
func TestGovernanceV2Rules(t *testing.T) {
	_, call := govSetup(t, "v2.0.0")
	conflict := func(msg string) string { return v2ErrBody(409, msg) }
	team := unquote(jsonAt(t, call("POST", "/api/governance/teams", `{"name":"t"}`, 200), "team", "id"))
	if got := call("POST", "/api/governance/teams", `{"name":"t"}`, 409); got != conflict("A team with this name already exists") {
		t.Errorf("team conflict: %s", got)
	}
	if got := call("POST", "/api/governance/customers", `{"name":"c","budget":{"max_limit":1,"reset_duration":"1d"},"budgets":[]}`, 400); got != v2ErrBody(400, "only one of 'budget' or 'budgets' may be set") {
		t.Errorf("budget and budgets: %s", got)
	}
	body := call("POST", "/api/governance/customers", `{"name":"c","budgets":[{"max_limit":10,"reset_duration":"1M"},{"max_limit":1,"reset_duration":"1d"}]}`, 200)
	if jsonAt(t, body, "customer", "budgets", 1, "customer_id") != jsonAt(t, body, "customer", "id") {
		t.Errorf("customer budgets: %s", body)
	}
	if got := call("POST", "/api/governance/virtual-keys", `{"name":"x","expires_at":"2001-01-01T00:00:00Z"}`, 400); got != v2ErrBody(400, "expires_at must be a future timestamp") {
		t.Errorf("past expiry: %s", got)
	}

	body = call("POST", "/api/governance/virtual-keys", `{"name":"k","team_id":"`+team+`","expires_at":"2999-01-01T00:00:00Z",
		"budgets":[{"max_limit":5,"reset_duration":"1d"}],"provider_configs":[{"provider":"openai","allowed_models":["*"],"blacklisted_models":["gpt-4o"]}]}`, 200)
	id := unquote(jsonAt(t, body, "virtual_key", "id"))
	path := "/api/governance/virtual-keys/" + id
	value := jsonAt(t, body, "virtual_key", "value")
	if jsonAt(t, body, "virtual_key", "expires_at") != `"2999-01-01T00:00:00Z"` || jsonAt(t, body, "virtual_key", "provider_configs", 0, "blacklisted_models") != `["gpt-4o"]` {
		t.Errorf("v2 key fields: %s", body)
	}
	mcID := jsonAt(t, body, "virtual_key", "budgets", 0, "model_config_id")
	mcs := call("GET", "/api/governance/model-configs", "", 200)
	if jsonAt(t, mcs, "model_configs", 0, "id") != mcID || jsonAt(t, mcs, "model_configs", 0, "scope") != `"virtual_key"` || jsonAt(t, mcs, "model_configs", 0, "scope_id") != `"`+id+`"` {
		t.Errorf("VK-scoped model config: %s", mcs)
	}
	if got := call("POST", "/api/governance/virtual-keys", `{"name":"k"}`, 409); got != conflict("A virtual key with this name already exists") {
		t.Errorf("key conflict: %s", got)
	}
	if body = call("PUT", path, `{}`, 200); jsonAt(t, body, "virtual_key", "team_id") != `"`+team+`"` {
		t.Errorf("PUT {} cleared the team on v2: %s", body)
	}
	if body = call("PUT", path, `{"team_id":null}`, 200); jsonAt(t, body, "virtual_key", "team_id") != "" {
		t.Errorf("team_id null kept the team: %s", body)
	}

	body = call("POST", path+"/rotate", "", 200)
	if rotated := jsonAt(t, body, "virtual_key", "value"); rotated == value || !strings.HasPrefix(rotated, `"sk-bf-`) || jsonAt(t, body, "message") != `"Virtual key rotated successfully"` {
		t.Errorf("rotate: %s", body)
	}
	call("POST", "/api/governance/virtual-keys/nope/rotate", "", 404)
	body = call("POST", "/api/governance/virtual-keys/rotate", `{"ids":["`+id+`"," nope "]}`, 200)
	if jsonAt(t, body, "errors") != `{"nope":"virtual key not found"}` || jsonAt(t, body, "virtual_keys", 0, "id") != `"`+id+`"` {
		t.Errorf("bulk rotate: %s", body)
	}
	if got := call("POST", "/api/governance/virtual-keys/rotate", `{"ids":["nope"]}`, 500); jsonAt(t, got, "message") != `"Failed to rotate virtual keys"` {
		t.Errorf("bulk rotate of nothing: %s", got)
	}
	call("POST", "/api/governance/virtual-keys/rotate", `{"ids":[]}`, 400)

	body = call("PUT", "/api/governance/providers/openai", `{"budgets":[{"max_limit":5,"reset_duration":"1d"}]}`, 200)
	if jsonAt(t, body, "provider", "budget") != jsonAt(t, body, "provider", "budgets", 0) || jsonAt(t, body, "provider", "calendar_aligned") != "false" {
		t.Errorf("v2 provider governance: %s", body)
	}
	if got := call("POST", "/api/governance/model-configs", `{"model_name":"*","provider":"openai"}`, 409); got != conflict("Model config for model '*' with provider 'openai' (global) already exists") {
		t.Errorf("provider governance is a model config: %s", got)
	}
	call("DELETE", "/api/governance/providers/mistral", "", 200)

	body = call("POST", "/api/governance/model-configs", `{"model_name":"m","budgets":[{"max_limit":2,"reset_duration":"1w"}]}`, 200)
	if jsonAt(t, body, "model_config", "budgets", 0, "model_config_id") != jsonAt(t, body, "model_config", "id") {
		t.Errorf("model config budgets: %s", body)
	}
	body = call("PUT", "/api/governance/teams/"+team, `{"calendar_aligned":true,"budgets":[{"max_limit":1,"reset_duration":"1d"}]}`, 200)
	if !strings.HasSuffix(jsonAt(t, body, "team", "budgets", 0, "last_reset"), `T00:00:00Z"`) || jsonAt(t, body, "team", "calendar_aligned") != "true" {
		t.Errorf("calendar-aligned v2 team: %s", body)
	}
}

// TestRecordUsage: usage recorded on a budget shows in its owner's reads and
// in the budgets list, and survives an update that keeps the budget.
func TestRecordUsage(t *testing.T) {
	s := startServer(t, Options{})
	status, body := do(t, s, "POST", "/api/governance/teams", `{"name":"usage","budgets":[{"max_limit":10,"reset_duration":"1d"}]}`)
	if status != 200 {
		t.Fatalf("create team: %d %s", status, body)
	}
	var created struct {
		Team struct {
			ID      string `json:"id"`
			Budgets []struct {
				ID string `json:"id"`
			} `json:"budgets"`
		} `json:"team"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil || len(created.Team.Budgets) != 1 {
		t.Fatalf("decode %s: %v", body, err)
	}
	if s.RecordUsage("absent", 1) {
		t.Error("usage recorded on a budget that does not exist")
	}
	if !s.RecordUsage(created.Team.Budgets[0].ID, 4.5) {
		t.Fatal("usage not recorded")
	}
	if status, body = do(t, s, "PUT", "/api/governance/teams/"+created.Team.ID, `{"name":"usage2","budgets":[{"max_limit":20,"reset_duration":"1d"}]}`); status != 200 {
		t.Fatalf("update team: %d %s", status, body)
	}
	_, body = do(t, s, "GET", "/api/governance/budgets", "")
	if !strings.Contains(body, `"current_usage":4.5`) {
		t.Errorf("budgets list after an update that keeps the budget: %s", body)
	}
}
