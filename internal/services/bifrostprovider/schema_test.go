package bifrostprovider

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// fullModel has every attribute set, so that a field missing from the model
// or from the schema fails the parity test.
func fullModel() providerFields {
	return providerFields{
		Name: types.StringValue("my-llm"),
		NetworkConfig: &networkModel{
			BaseURL:                        types.StringValue("https://llm.example.com/v1"),
			ExtraHeaders:                   types.MapValueMust(types.StringType, map[string]attr.Value{"x-team": types.StringValue("ml")}),
			DefaultRequestTimeoutInSeconds: types.Int64Value(45),
			MaxRetries:                     types.Int64Value(3),
			RetryBackoffInitial:            types.Int64Value(250),
			RetryBackoffMax:                types.Int64Value(8000),
			StreamIdleTimeoutInSeconds:     types.Int64Value(90),
			MaxConnsPerHost:                types.Int64Value(200),
			InsecureSkipVerify:             types.BoolValue(true),
			CACertPEM:                      types.StringValue("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"),
		},
		ConcurrencyAndBufferSize: &concurrencyModel{Concurrency: types.Int64Value(10), BufferSize: types.Int64Value(100)},
		ProxyConfig: &proxyModel{
			Type: types.StringValue("http"), URL: types.StringValue("http://proxy:3128"), Username: types.StringValue("u"),
			Password: types.StringValue("proxy-password-123"), CACertPEM: types.StringValue("env.PROXY_CA"),
		},
		SendBackRawRequest:      types.BoolValue(true),
		SendBackRawResponse:     types.BoolValue(true),
		StoreRawRequestResponse: types.BoolValue(true),
		CustomProviderConfig: &customModel{
			BaseProviderType: types.StringValue("openai"),
			IsKeyLess:        types.BoolValue(true),
			AllowedRequests:  types.SetValueMust(types.StringType, []attr.Value{types.StringValue("chat_completion"), types.StringValue("list_models")}),
			RequestPathOverrides: types.MapValueMust(types.StringType, map[string]attr.Value{
				"chat_completion": types.StringValue("/v2/chat"),
			}),
		},
		OpenAIConfig:   &openAIModel{DisableStore: types.BoolValue(true)},
		ProviderStatus: types.StringValue("active"),
		Status:         types.StringValue("unknown"),
		Description:    types.StringValue(""),
		ConfigHash:     types.StringValue(""),
	}
}

func TestSchemaModelParity(t *testing.T) {
	ctx := context.Background()
	var rs resource.SchemaResponse
	(&providerResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	if rs.Diagnostics.HasError() {
		t.Fatal(rs.Diagnostics)
	}
	if diags := rs.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatal(diags)
	}
	timeoutsType := rs.Schema.Blocks["timeouts"].Type().(attr.TypeWithAttributeTypes)
	state := tfsdk.State{Schema: rs.Schema, Raw: tftypes.NewValue(rs.Schema.Type().TerraformType(ctx), nil)}
	m := providerModel{providerFields: fullModel(), Timeouts: timeouts.Value{Object: types.ObjectNull(timeoutsType.AttributeTypes())}}
	if diags := state.Set(ctx, m); diags.HasError() {
		t.Fatalf("resource schema and providerModel differ: %v", diags)
	}
	var back providerModel
	if diags := state.Get(ctx, &back); diags.HasError() {
		t.Fatal(diags)
	}
	if !reflect.DeepEqual(back.providerFields, m.providerFields) {
		t.Errorf("round trip through the state changed the model")
	}

	var ds datasource.SchemaResponse
	NewDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	if diags := ds.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatal(diags)
	}
	dsState := tfsdk.State{Schema: ds.Schema, Raw: tftypes.NewValue(ds.Schema.Type().TerraformType(ctx), nil)}
	if diags := setView(ctx, fullModel(), &dsState); diags.HasError() {
		t.Fatalf("data source schema and providerFields differ: %v", diags)
	}
	if pw := ds.Schema.Attributes["proxy_config"].(dsschema.SingleNestedAttribute).Attributes["password"]; !pw.IsSensitive() {
		t.Error("the data source's proxy_config.password is not sensitive")
	}
	for _, name := range []string{"password_wo", "password_wo_version"} {
		if _, ok := ds.Schema.Attributes["proxy_config"].(dsschema.SingleNestedAttribute).Attributes[name]; ok {
			t.Errorf("the data source shows proxy_config.%s", name)
		}
	}
}

// TestWireRoundTrip checks that what the resource sends, stored and answered
// as is, reads back as the same model.
func TestWireRoundTrip(t *testing.T) {
	ctx := context.Background()
	want := fullModel()
	p, diags := expandProvider(ctx, want)
	if diags.HasError() {
		t.Fatal(diags)
	}
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var got bifrost.Provider
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	got.ProviderStatus, got.Status = "active", "unknown"
	m, diags := flattenProvider(ctx, &got, want)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("round trip changed the model:\n got %+v\nwant %+v", m, want)
	}
}

func TestNetworkConfigKeepsUnknownFields(t *testing.T) {
	var n bifrost.NetworkConfig
	in := `{"base_url":"http://u","default_request_timeout_in_seconds":5,"max_retries":0,"retry_backoff_initial":0,"retry_backoff_max":0,"enforce_http2":true}`
	if err := json.Unmarshal([]byte(in), &n); err != nil {
		t.Fatal(err)
	}
	if string(n.Extra["enforce_http2"]) != "true" || n.BaseURL != "http://u" {
		t.Fatalf("decoded %+v", n)
	}
	out, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(out, &fields); err != nil {
		t.Fatal(err)
	}
	if string(fields["enforce_http2"]) != "true" || string(fields["default_request_timeout_in_seconds"]) != "5" {
		t.Errorf("encoded %s", out)
	}
}
