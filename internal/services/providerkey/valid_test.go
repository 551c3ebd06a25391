package providerkey_test

import (
	"context"
	"maps"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/providerkey"
)

// TestValidMatchesFramework checks the provider's own validation against
// the framework's: for valid configurations it answers, with no
// diagnostics, as the framework does; for every invalid one (each of the
// schema's validators, the resource's ValidateConfig and the framework's
// own checks) it leaves the answer to the framework.
func TestValidMatchesFramework(t *testing.T) {
	fw := acctest.NewFrameworkProtocolServer(t, "http://127.0.0.1:9")
	typ := fw.ResourceType(typeName)
	ctx := context.Background()
	unknown := func(t tftypes.Type) tftypes.Value { return tftypes.NewValue(t, tftypes.UnknownValue) }
	object := func(name string, attrs map[string]tftypes.Value) tftypes.Value { return blockValue(typ, name, attrs) }
	base := map[string]tftypes.Value{
		"provider_name": str("openai"), "name": str("k"), "value": str("sk-valid-0123456789abcdef"),
		"models": strSet("gpt-4o-mini"), "weight": num(1),
	}
	with := func(changes map[string]tftypes.Value) map[string]tftypes.Value {
		out := maps.Clone(base)
		for k, v := range changes {
			if v.Type() == nil {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return out
	}
	without := func(names ...string) map[string]tftypes.Value {
		out := maps.Clone(base)
		for _, n := range names {
			delete(out, n)
		}
		return out
	}

	for _, tc := range []struct {
		name string
		// answers: whether Valid answers (else the framework validates).
		answers       bool
		attrs         map[string]tftypes.Value
		noWriteOnlyOK bool // Terraform < 1.11
	}{
		{"minimal", true, base, false},
		{"defaults", true, without("models", "weight"), false},
		{"reference", true, with(map[string]tftypes.Value{"value": str("env.OPENAI_KEY")}), false},
		{"vault reference", true, with(map[string]tftypes.Value{"value": str("vault.secret/openai")}), false},
		{"write-only", true, with(map[string]tftypes.Value{"value": tftypes.NewValue(tftypes.String, nil), "value_wo": str("sk-wo-0123456789abcdef"), "value_wo_version": num(1)}), false},
		{"everything", true, with(map[string]tftypes.Value{
			"id": str("my-id"), "blacklisted_models": strSet("o1"), "enabled": tftypes.NewValue(tftypes.Bool, false),
			"use_for_batch_api": tftypes.NewValue(tftypes.Bool, true), "aliases": strMap(map[string]string{"fast": "gpt-4o-mini"}),
		}), false},
		{"azure", true, with(map[string]tftypes.Value{"provider_name": str("azure"), "azure_key_config": object("azure_key_config", map[string]tftypes.Value{
			"endpoint": str("https://example.openai.azure.com"), "api_version": str("2024-10-21"),
			"scopes": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("s")}),
		})}), false},
		{"ollama", true, with(map[string]tftypes.Value{"provider_name": str("ollama"), "value": tftypes.NewValue(tftypes.String, nil),
			"ollama_key_config": object("ollama_key_config", map[string]tftypes.Value{"url": str("http://localhost:11434")})}), false},
		{"custom provider", true, with(map[string]tftypes.Value{"provider_name": str("my-openai")}), false},
		{"unknown values", true, with(map[string]tftypes.Value{"value": unknown(tftypes.String), "name": unknown(tftypes.String), "models": unknown(tftypes.Set{ElementType: tftypes.String})}), false},
		// Left to the framework: what Valid does not walk.
		{"timeouts", false, with(map[string]tftypes.Value{"timeouts": object("timeouts", map[string]tftypes.Value{"create": str("1m")})}), false},
		{"bedrock", false, with(map[string]tftypes.Value{"provider_name": str("bedrock"), "bedrock_key_config": object("bedrock_key_config", map[string]tftypes.Value{"region": str("us-east-1")})}), false},
		// Invalid: the framework's diagnostics.
		{"empty name", false, with(map[string]tftypes.Value{"name": str("")}), false},
		{"id too long", false, with(map[string]tftypes.Value{"id": str(string(make([]byte, 256)))}), false},
		{"bad provider name", false, with(map[string]tftypes.Value{"provider_name": str("Not A Name!")}), false},
		{"malformed reference", false, with(map[string]tftypes.Value{"value": str("ENV.X")}), false},
		{"value and value_wo", false, with(map[string]tftypes.Value{"value_wo": str("sk-wo-0123456789abcdef"), "value_wo_version": num(1)}), false},
		{"value_wo without version", false, with(map[string]tftypes.Value{"value": tftypes.NewValue(tftypes.String, nil), "value_wo": str("sk-wo-0123456789abcdef")}), false},
		{"version without value_wo", false, with(map[string]tftypes.Value{"value_wo_version": num(1)}), false},
		{"write-only before Terraform 1.11", false, with(map[string]tftypes.Value{"value": tftypes.NewValue(tftypes.String, nil), "value_wo": str("sk-wo-0123456789abcdef"), "value_wo_version": num(1)}), true},
		{"negative weight", false, with(map[string]tftypes.Value{"weight": num(-1)}), false},
		{"star and names", false, with(map[string]tftypes.Value{"models": strSet("*", "gpt-4o")}), false},
		{"empty aliases", false, with(map[string]tftypes.Value{"aliases": strMap(map[string]string{})}), false},
		{"empty alias name", false, with(map[string]tftypes.Value{"aliases": strMap(map[string]string{"": "gpt-4o"})}), false},
		{"read-only attribute set", false, with(map[string]tftypes.Value{"status": str("success")}), false},
		{"required attribute missing", false, without("name"), false},
		{"missing value", false, with(map[string]tftypes.Value{"value": tftypes.NewValue(tftypes.String, nil)}), false},
		{"block of another provider", false, with(map[string]tftypes.Value{"azure_key_config": object("azure_key_config", map[string]tftypes.Value{"endpoint": str("https://x")})}), false},
		{"ollama without url", false, with(map[string]tftypes.Value{"provider_name": str("ollama"), "value": tftypes.NewValue(tftypes.String, nil),
			"ollama_key_config": object("ollama_key_config", nil)}), false},
		{"empty azure scopes", false, with(map[string]tftypes.Value{"provider_name": str("azure"), "azure_key_config": object("azure_key_config", map[string]tftypes.Value{
			"scopes": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{}),
		})}), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := fw.Value(t, typ, tc.attrs)
			req := &tfprotov6.ValidateResourceConfigRequest{
				TypeName: typeName, Config: &config,
				ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: !tc.noWriteOnlyOK},
			}
			want, err := fw.ValidateResourceConfig(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := providerkey.Valid(ctx, req)
			if ok && len(want.Diagnostics) > 0 {
				t.Fatalf("Valid answered, but the framework says: %v", acctest.Diags(want.Diagnostics))
			}
			if ok != tc.answers {
				t.Fatalf("Valid answered: %v, want %v (the framework says: %v)", ok, tc.answers, acctest.Diags(want.Diagnostics))
			}
			if ok && len(got.Diagnostics) > 0 {
				t.Fatalf("Valid answered with diagnostics: %v", acctest.Diags(got.Diagnostics))
			}
			if !tc.answers && !ok && len(want.Diagnostics) == 0 && tc.name != "timeouts" && tc.name != "bedrock" {
				t.Fatalf("an invalid case the framework accepts: fix the case")
			}
		})
	}
}
