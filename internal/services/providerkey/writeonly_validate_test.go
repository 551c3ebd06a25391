package providerkey_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
)

func i64(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }

// validateDiags is what ValidateResourceConfig reports for config, from a
// Terraform that supports write-only attributes.
func validateDiags(t *testing.T, ps *acctest.ProtocolServer, config map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	typ := ps.ResourceType(typeName)
	cfg := ps.Value(t, typ, config)
	v, err := ps.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: typeName, Config: &cfg,
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	return v.Diagnostics
}

// TestWriteOnlyBlockSecretsValidation: the write-only form of every secret
// of a block conflicts with the plain one and needs its version, and the
// version needs it; every secret of every block has one.
func TestWriteOnlyBlockSecretsValidation(t *testing.T) {
	ps, _ := validationServer(t, "v2.2.6")
	s := newKeyShape(t, ps)
	secrets := map[string][]string{
		"azure_key_config":          {"client_secret"},
		"vertex_key_config":         {"auth_credentials"},
		"bedrock_key_config":        {"access_key", "secret_key", "session_token"},
		"bedrock_mantle_key_config": {"access_key", "secret_key", "session_token"},
	}
	provider := map[string]string{
		"azure_key_config": "azure", "vertex_key_config": "vertex", "bedrock_key_config": "bedrock", "bedrock_mantle_key_config": "bedrock_mantle",
	}
	for block, attrs := range secrets {
		for _, a := range attrs {
			cfg := func(attrs map[string]tftypes.Value) map[string]tftypes.Value {
				return s.key(map[string]tftypes.Value{"provider_name": str(provider[block]), "value": nullString(), block: s.block(t, block, attrs)})
			}
			p := block + "." + a
			t.Run(p+" both forms", func(t *testing.T) {
				expectOneError(t, validateDiags(t, ps, cfg(map[string]tftypes.Value{
					a: str(okSecret), a + "_wo": str(woSecret), a + "_wo_version": i64(1),
				})), p, []string{"Invalid Attribute Combination", p + "_wo", p}, []string{okSecret, woSecret})
			})
			t.Run(p+" version without the write-only form", func(t *testing.T) {
				expectOneError(t, validateDiags(t, ps, cfg(map[string]tftypes.Value{
					a + "_wo_version": i64(1),
				})), p+"_wo_version", []string{p + "_wo", "must be specified"}, nil)
			})
			t.Run(p+" write-only form without a version", func(t *testing.T) {
				expectOneError(t, validateDiags(t, ps, cfg(map[string]tftypes.Value{
					a + "_wo": str(woSecret),
				})), p+"_wo", []string{p + "_wo_version", "must be specified"}, []string{woSecret})
			})
			t.Run(p+" write-only form with a version", func(t *testing.T) {
				expectNoDiags(t, validateDiags(t, ps, cfg(map[string]tftypes.Value{
					a + "_wo": str(woSecret), a + "_wo_version": i64(1),
				})))
			})
			t.Run(p+" malformed reference", func(t *testing.T) {
				expectOneError(t, validateDiags(t, ps, cfg(map[string]tftypes.Value{
					a + "_wo": str("ENV.X"), a + "_wo_version": i64(1),
				})), p+"_wo", []string{"Malformed secret reference"}, nil)
			})
		}
	}
}
