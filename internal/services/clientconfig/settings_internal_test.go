package clientconfig

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// overlay changes only the settings the configuration sets, and keeps the
// members of client_config the provider does not model.
func TestOverlayKeepsWhatIsNotSet(t *testing.T) {
	var cc bifrost.ClientConfig
	in := `{"log_retention_days":3,"initial_pool_size":5000,"allowed_origins":["*"],"compat":{"convert_text_to_chat":true,"should_drop_params":false},"future_flag":true}`
	if err := json.Unmarshal([]byte(in), &cc); err != nil {
		t.Fatal(err)
	}
	vals, diags := fromServer(cc)
	if diags.HasError() {
		t.Fatal(diags)
	}
	config := map[string]attr.Value{}
	for name, v := range vals {
		config[name] = nullOf(v)
	}
	config["log_retention_days"] = types.Int64Value(9)
	config["compat"] = types.ObjectValueMust(vals["compat"].(types.Object).AttributeTypes(t.Context()), map[string]attr.Value{
		"convert_text_to_chat": types.BoolNull(), "convert_chat_to_responses": types.BoolNull(),
		"should_drop_params": types.BoolValue(true), "should_convert_params": types.BoolNull()})
	got, err := overlay(cc, config)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(got)
	want := `{"drop_excess_requests":false,"initial_pool_size":5000,"prometheus_labels":null,"disable_content_logging":false,` +
		`"allow_per_request_content_storage_override":false,"allow_per_request_raw_override":false,"disable_db_pings_in_health":false,` +
		`"log_retention_days":9,"enforce_auth_on_inference":false,"allowed_origins":["*"],"max_request_body_size_mb":0,` +
		`"compat":{"convert_text_to_chat":true,"convert_chat_to_responses":false,"should_drop_params":true,"should_convert_params":false},` +
		`"mcp_agent_depth":0,"mcp_tool_execution_timeout":0,"mcp_tool_sync_interval":0,"mcp_disable_auto_tool_inject":false,` +
		`"async_job_result_ttl":0,"hide_deleted_virtual_keys_in_filters":false,"routing_chain_max_depth":0,"future_flag":true}`
	if got, want := mustCanon(t, string(b)), mustCanon(t, want); got != want {
		t.Errorf("overlaid\n got  %s\n want %s", got, want)
	}
}

func mustCanon(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func nullOf(v attr.Value) attr.Value {
	switch v := v.(type) {
	case types.Bool:
		return types.BoolNull()
	case types.Int64:
		return types.Int64Null()
	case types.String:
		return types.StringNull()
	case types.List:
		return types.ListNull(types.StringType)
	case types.Object:
		return types.ObjectNull(v.AttributeTypes(context.Background()))
	}
	return v
}

// notStored names the set values the server did not keep, nested ones with
// their object's name, and nothing for the values left out.
func TestNotStored(t *testing.T) {
	var cc bifrost.ClientConfig
	if err := json.Unmarshal([]byte(`{"log_retention_days":3,"compat":{"should_drop_params":false}}`), &cc); err != nil {
		t.Fatal(err)
	}
	got, diags := fromServer(cc)
	if diags.HasError() {
		t.Fatal(diags)
	}
	config := map[string]attr.Value{}
	for name, v := range got {
		config[name] = nullOf(v)
	}
	if d := notStored(settings, config, got, ""); len(d) != 0 {
		t.Errorf("nothing set, yet %v", d)
	}
	config["log_retention_days"] = types.Int64Value(3)
	config["mcp_external_server_url"] = types.StringValue("https://mcp.example.test")
	config["compat"] = types.ObjectValueMust(got["compat"].(types.Object).AttributeTypes(context.Background()), map[string]attr.Value{
		"convert_text_to_chat": types.BoolNull(), "convert_chat_to_responses": types.BoolNull(),
		"should_drop_params": types.BoolValue(true), "should_convert_params": types.BoolNull()})
	d := notStored(settings, config, got, "")
	if len(d) != 2 || d[0] != `compat.should_drop_params (set to true, Bifrost has false)` ||
		d[1] != `mcp_external_server_url (set to "https://mcp.example.test", Bifrost has "")` {
		t.Errorf("notStored = %q", d)
	}
}
