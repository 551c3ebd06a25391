package providerkey

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
)

// fullKey sets every field of bifrost.Key that the resource models, each to
// a value that is not its zero value (one key cannot be of every provider
// type in Bifrost; the conversions do not care).
func fullKey() bifrost.Key {
	s := func(v string) *bifrost.SecretVar { l := bifrost.Literal(v); return &l }
	yes := func() *bool { b := true; return &b }
	return bifrost.Key{
		ID: "0b0c2f4e-8d1e-4d43-9a53-5f1c0c6f7a10", Name: "full", Value: bifrost.Literal("sk-full-0123456789abcdef0123456789"),
		Models: []string{"gpt-4o", "gpt-4o-mini"}, BlacklistedModels: []string{"gpt-3.5-turbo"}, Weight: 0.5,
		Aliases: map[string]string{"fast": "gpt-4o-mini"},
		AliasConfigs: map[string]bifrost.AliasConfig{"smart": {
			ModelID: "gpt-4o", ModelName: "GPT-4o", ModelFamily: "openai", Description: "the smart one",
			APIVersion: "2024-10-21", AnthropicVersion: "2023-06-01",
			Region: s("us-east-1"), Endpoint: s("https://alias.localhost"), ProjectID: s("alias-project"),
			ProjectNumber: s("123456"), InferenceProfileARN: s("arn:aws:bedrock:us-east-1:1:inference-profile/x"),
			ForceSingleRegion: yes(), UseDeploymentsEndpoint: yes(), UseAnthropicEndpoints: yes(),
		}},
		Enabled: yes(), UseForBatchAPI: true, UseAnthropicEndpoints: yes(),
		AzureKeyConfig: &bifrost.AzureKeyConfig{
			Endpoint: bifrost.Literal("https://azure.localhost"), APIVersion: s("2024-10-21"),
			ClientID: s("client-id"), ClientSecret: s("client-secret-0123456789"), TenantID: s("tenant-id"),
			Scopes: []string{"https://cognitiveservices.azure.com/.default"},
		},
		VertexKeyConfig: &bifrost.VertexKeyConfig{
			ProjectID: bifrost.Literal("vertex-project"), ProjectNumber: bifrost.Literal("987654"),
			Region: bifrost.Literal("us-central1"), AuthCredentials: bifrost.Literal(`{"type":"service_account"}`),
			ForceSingleRegion: true,
		},
		BedrockKeyConfig: &bifrost.BedrockKeyConfig{
			AccessKey: bifrost.Literal("AKIAFULL0123456789"), SecretKey: bifrost.Literal("secret-key-0123456789abcdef"),
			SessionToken: s("session-token"), Region: s("eu-west-1"), ARN: s("arn:aws:bedrock:eu-west-1:1:x"),
			RoleARN: s("arn:aws:iam::1:role/bifrost"), ExternalID: s("external"), SessionName: s("session"),
			ProjectID:     s("bedrock-project"),
			BatchS3Config: &bifrost.BatchS3Config{Buckets: []bifrost.S3Bucket{{BucketName: "batch", Prefix: "jobs/", IsDefault: true}}},
		},
		VLLMKeyConfig:      &bifrost.VLLMKeyConfig{URL: bifrost.Literal("http://vllm.localhost:8000"), ModelName: "llama"},
		OllamaKeyConfig:    &bifrost.URLKeyConfig{URL: bifrost.Literal("http://ollama.localhost:11434")},
		SGLKeyConfig:       &bifrost.URLKeyConfig{URL: bifrost.Literal("http://sgl.localhost:30000")},
		ReplicateKeyConfig: &bifrost.ReplicateKeyConfig{UseDeploymentsEndpoint: true},
		BedrockMantleKeyConfig: &bifrost.BedrockMantleKeyConfig{
			AccessKey: bifrost.Literal("AKIAMANTLE012345"), SecretKey: bifrost.Literal("mantle-secret-0123456789"),
			SessionToken: s("mantle-token"), Region: s("us-west-2"), RoleARN: s("arn:aws:iam::1:role/mantle"),
			ExternalID: s("mantle-external"), SessionName: s("mantle-session"), ProjectID: s("mantle-project"),
		},
		ConfigHash: "hash", Status: "active", Description: "server-written",
	}
}

// notFromTheServer are the attributes whose state never comes from Bifrost's
// answer: the write-only value and its version, and the timeouts block (and,
// in the blocks, every X_wo and X_wo_version).
var notFromTheServer = []string{"value_wo", "value_wo_version", "timeouts"}

// TestFlattenFillsEveryAttribute flattens a key with every field set into
// an empty model (no prior state to echo): every attribute of the schema
// must then hold a value. An attribute added to the schema and the model
// but not read from the API stays null and fails this test.
func TestFlattenFillsEveryAttribute(t *testing.T) {
	ctx := context.Background()
	k := fullKey()
	m, diags := flattenKey(ctx, &k, "openai", keyModel{Timeouts: nullTimeouts(ctx, t)})
	if diags.HasError() {
		t.Fatal(diags)
	}
	state := tfsdk.State{Schema: resourceSchema(ctx, t)}
	state.Raw = tftypes.NewValue(state.Schema.Type().TerraformType(ctx), nil)
	if d := state.Set(ctx, m); d.HasError() {
		t.Fatal(d)
	}
	var null []string
	err := tftypes.Walk(state.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		steps := p.Steps()
		if len(steps) > 0 {
			if root, ok := steps[0].(tftypes.AttributeName); ok && slices.Contains(notFromTheServer, string(root)) {
				return false, nil
			}
			// The write-only form of a block's secret and its version.
			if last, ok := steps[len(steps)-1].(tftypes.AttributeName); ok && secret.IsWriteOnlyCompanion(string(last)) {
				return false, nil
			}
		}
		if v.IsNull() {
			null = append(null, p.String())
		}
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(null) > 0 {
		t.Errorf("attributes not read from the API (null after flattening a key with every field set):\n  %s", strings.Join(null, "\n  "))
	}
}

// TestKeyWireRoundTrip: a key sent as JSON and read back, flattened into
// state and expanded again is the same key. A field lost or changed by the
// JSON encoding or by either conversion fails it.
func TestKeyWireRoundTrip(t *testing.T) {
	ctx := context.Background()
	want := fullKey()
	// Written by the server only: never sent.
	want.ConfigHash, want.Status, want.Description = "", "", ""
	body, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var read bifrost.Key
	if err := json.Unmarshal(body, &read); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, read); diff != "" {
		t.Fatalf("key changed by its JSON encoding (-sent +read):\n%s", diff)
	}
	m, diags := flattenKey(ctx, &read, "openai", keyModel{Timeouts: nullTimeouts(ctx, t)})
	if diags.HasError() {
		t.Fatal(diags)
	}
	got, diags := expandKey(ctx, m, m.Value.ValueString())
	if diags.HasError() {
		t.Fatal(diags)
	}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("key changed by flatten then expand (-read +sent):\n%s", diff)
	}
}

// TestFlattenKeepsWhatTheServerHides: secrets the server answers masked keep
// the value Terraform knew, and a write-only value never enters state.
func TestFlattenKeepsWhatTheServerHides(t *testing.T) {
	ctx := context.Background()
	const configured = "sk-real-0123456789abcdef0123456789"
	k := bifrost.Key{ID: "id", Name: "n", Value: bifrost.SecretVar{Value: bifrost.Mask(configured)}, Weight: 1}

	m, _ := flattenKey(ctx, &k, "openai", keyModel{Value: types.StringValue(configured), ValueWOVersion: types.Int64Null()})
	if m.Value.ValueString() != configured {
		t.Errorf("value after a masked answer = %q, want the known value", m.Value.ValueString())
	}
	rotated := bifrost.Key{ID: "id", Name: "n", Value: bifrost.SecretVar{Value: bifrost.Mask("sk-other-0123456789abcdef01234567")}}
	m, _ = flattenKey(ctx, &rotated, "openai", keyModel{Value: types.StringValue(configured), ValueWOVersion: types.Int64Null()})
	if m.Value.ValueString() == configured {
		t.Error("a key rotated outside Terraform kept the old value in state: the drift would not show")
	}
	m, _ = flattenKey(ctx, &k, "openai", keyModel{ValueWO: types.StringValue(configured), ValueWOVersion: types.Int64Value(1)})
	if !m.Value.IsNull() || !m.ValueWO.IsNull() {
		t.Errorf("write-only value entered state: value=%v value_wo=%v", m.Value, m.ValueWO)
	}
}

func resourceSchema(ctx context.Context, t *testing.T) schema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	NewResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema
}

// nullTimeouts is the timeouts block of a configuration that has none.
func nullTimeouts(ctx context.Context, t *testing.T) timeouts.Value {
	t.Helper()
	typ, ok := resourceSchema(ctx, t).Blocks["timeouts"].Type().(timeouts.Type)
	if !ok {
		t.Fatal("the timeouts block is not an object")
	}
	return timeouts.Value{Object: types.ObjectNull(typ.AttrTypes)}
}
