package plugin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfconfig "github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The secrets come from an ephemeral variable, as a write-only secret
// should: a literal would be copied into the "configuration" section of the
// plan JSON.
const secretVariable = `
variable "secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
`

func secretVar(s string) tfconfig.Variables {
	return tfconfig.Variables{"secret": tfconfig.StringVariable(s)}
}

// writeOnlyCase is a plugin whose secret is configured write-only, from
// var.secret.
type writeOnlyCase struct {
	name string
	// body is the plugin's body with the write-only secret at version.
	body func(version int) string
	// stored is the config Bifrost holds with secret.
	stored func(secret string) map[string]any
	// version is the attribute path (dotted) of the secret's version.
	version string
	// state checks the state beyond the absence of the secrets.
	state func(version int64) []statecheck.StateCheck
}

// testWriteOnly checks a write-only secret: no byte of it in the state or
// the plan, the server holds it, bumping its version sends the new one,
// and a change made outside Terraform shows as a change of the version and
// is written back.
func testWriteOnly(t *testing.T, c writeOnlyCase) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		t.Cleanup(func() { _ = tg.Client.DeletePlugin(acctest.Ctx(t), c.name) })
		const first, second, outOfBand = "wo-first-0123456789abcdef", "wo-second-0123456789abcdef", "wo-someone-else-0123456789abcdef"
		all := []string{first, second, outOfBand}
		step := func(version int, secret string) resource.TestStep {
			var changed []plancheck.PlanCheck
			if version > 1 {
				changed = append(changed, acctest.ExpectChangedLeaves(addr, nil, c.version))
			}
			return resource.TestStep{
				Config: secretVariable + pluginConfig(tg, c.name, c.body(version)), ConfigVariables: secretVar(secret),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             append(changed, acctest.NoSecretInPlan(all...)),
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), acctest.NoSecretInPlan(all...)},
				},
				ConfigStateChecks: append(c.state(int64(version)), acctest.NoSecretInState(all...)),
				Check:             resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...), expectStored(t, tg, c.name, c.stored(secret))),
			}
		}
		changedOutside := step(2, second)
		changedOutside.PreConfig = func() {
			b, _ := json.Marshal(c.stored(outOfBand))
			if _, err := tg.Client.UpdatePlugin(acctest.Ctx(t), c.name, bifrost.PluginUpdate{
				Path: stored(t, tg, c.name).Path, Config: b,
			}); err != nil {
				t.Fatal(err)
			}
		}
		changedOutside.ConfigPlanChecks.PreApply = []plancheck.PlanCheck{
			acctest.ExpectChangedLeaves(addr, nil, c.version), acctest.NoSecretInPlan(all...),
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
			CheckDestroy:             checkDestroyed(tg),
			Steps:                    []resource.TestStep{step(1, first), step(2, second), changedOutside},
		})
	})
}

// TestAccPlugin_writeOnlyConfig configures the whole config write-only.
func TestAccPlugin_writeOnlyConfig(t *testing.T) {
	testWriteOnly(t, writeOnlyCase{
		name: acctest.Name("wo-config"),
		body: func(version int) string {
			return fmt.Sprintf(`
  enabled           = false
  path              = "/opt/plugins/wo.so"
  config_wo         = jsonencode({ api_key = var.secret, region = "eu" })
  config_wo_version = %d`, version)
		},
		stored:  func(secret string) map[string]any { return map[string]any{"api_key": secret, "region": "eu"} },
		version: "config_wo_version",
		state: func(version int64) []statecheck.StateCheck {
			return []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_wo_version"), knownvalue.Int64Exact(version)),
			}
		},
	})
}

// TestAccPlugin_writeOnlyMaximAPIKey configures maxim_config.api_key
// write-only. The api key is Computed (left to Bifrost when not
// configured): it stays null, never "known after apply".
func TestAccPlugin_writeOnlyMaximAPIKey(t *testing.T) {
	mc := tfjsonpath.New("maxim_config")
	testWriteOnly(t, writeOnlyCase{
		name: "maxim",
		body: func(version int) string {
			return fmt.Sprintf(`
  enabled      = false
  maxim_config = {
    api_key_wo         = var.secret
    api_key_wo_version = %d
    log_repo_id        = "repo-wo"
  }`, version)
		},
		stored:  func(secret string) map[string]any { return map[string]any{"api_key": secret, "log_repo_id": "repo-wo"} },
		version: "maxim_config.api_key_wo_version",
		state: func(version int64) []statecheck.StateCheck {
			return []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, mc.AtMapKey("api_key"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, mc.AtMapKey("api_key_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, mc.AtMapKey("api_key_wo_version"), knownvalue.Int64Exact(version)),
				statecheck.ExpectKnownValue(addr, mc.AtMapKey("log_repo_id"), knownvalue.StringExact("repo-wo")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.Null()),
			}
		},
	})
}

// TestAccPlugin_writeOnlyOtelHeaders configures otel_config.headers
// write-only.
func TestAccPlugin_writeOnlyOtelHeaders(t *testing.T) {
	oc := tfjsonpath.New("otel_config")
	testWriteOnly(t, writeOnlyCase{
		name: "otel",
		body: func(version int) string {
			return fmt.Sprintf(`
  enabled = false
  otel_config = {
    collector_url      = "http://127.0.0.1:4318/v1/traces"
    trace_type         = "genai_extension"
    protocol           = "http"
    headers_wo         = { Authorization = var.secret }
    headers_wo_version = %d
  }`, version)
		},
		stored: func(secret string) map[string]any {
			return map[string]any{"collector_url": "http://127.0.0.1:4318/v1/traces", "trace_type": "genai_extension",
				"protocol": "http", "headers": map[string]any{"Authorization": secret}}
		},
		version: "otel_config.headers_wo_version",
		state: func(version int64) []statecheck.StateCheck {
			return []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, oc.AtMapKey("headers"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, oc.AtMapKey("headers_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, oc.AtMapKey("headers_wo_version"), knownvalue.Int64Exact(version)),
			}
		},
	})
}

// validateDiags is what ValidateResourceConfig reports for config, from a
// Terraform that supports write-only attributes (≥ 1.11).
func validateDiags(t *testing.T, ps *acctest.ProtocolServer, config map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	cfg := ps.Value(t, ps.ResourceType(typeName), config)
	v, err := ps.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: typeName, Config: &cfg,
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	return v.Diagnostics
}

// TestWriteOnlyBadInputs_providerServer: the plan-time (validation) errors of the
// write-only configs (text and attribute), none quoting the secret.
func TestWriteOnlyBadInputs_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	ps := acctest.NewProtocolServer(t, emu.URL())
	n := func(v int) tftypes.Value { return tftypes.NewValue(tftypes.Number, v) }
	maxim := func(vals map[string]tftypes.Value) tftypes.Value { return nested(ps, "maxim_config", vals) }
	const key = "s3cret-wo"
	errSev := tfprotov6.DiagnosticSeverityError
	for _, tc := range []struct {
		name   string
		config map[string]tftypes.Value
		path   string
		want   []string
	}{
		{name: "config and config_wo", config: map[string]tftypes.Value{
			"name": s("mine"), "config": s(`{"api_key":"` + key + `"}`), "config_wo": s(`{"api_key":"` + key + `"}`), "config_wo_version": n(1),
		}, path: "config", want: []string{"Invalid Attribute Combination", `"config_wo"`, "cannot be specified when"}},
		{name: "config_wo not an object", config: map[string]tftypes.Value{
			"name": s("mine"), "config_wo": s(`["` + key + `"]`), "config_wo_version": n(1),
		}, path: "config_wo", want: []string{"Invalid plugin config", "config_wo is JSON but not an object (it is an array)"}},
		{name: "config_wo not JSON", config: map[string]tftypes.Value{
			"name": s("mine"), "config_wo": s(`{api_key: ` + key), "config_wo_version": n(1),
		}, path: "config_wo", want: []string{"Invalid plugin config", "config_wo is not valid JSON"}},
		{name: "config_wo and a typed config", config: map[string]tftypes.Value{
			"name": s("maxim"), "config_wo": s(`{"api_key":"` + key + `"}`), "config_wo_version": n(1), "maxim_config": maxim(map[string]tftypes.Value{"api_key": s(key)}),
		}, path: "maxim_config", want: []string{"Conflicting plugin configs", "maxim_config and config_wo are both set"}},
		{name: "maxim api key missing", config: map[string]tftypes.Value{
			"name": s("maxim"), "maxim_config": maxim(map[string]tftypes.Value{"log_repo_id": s("repo")}),
		}, path: "maxim_config.api_key", want: []string{"Missing Maxim API key", "set api_key, or api_key_wo"}},
		{name: "maxim api_key and api_key_wo", config: map[string]tftypes.Value{
			"name": s("maxim"), "maxim_config": maxim(map[string]tftypes.Value{"api_key": s(key), "api_key_wo": s(key), "api_key_wo_version": n(1)}),
		}, path: "maxim_config.api_key", want: []string{"Invalid Attribute Combination", "cannot be specified when"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := validateDiags(t, ps, tc.config)
			acctest.ExpectOneDiagOn(t, diags, errSev, tc.path, tc.want...)
			if strings.Contains(acctest.RenderDiags(diags), key) {
				t.Errorf("a diagnostic quotes the secret:%s", acctest.RenderDiags(diags))
			}
		})
	}
	valid := map[string]tftypes.Value{"name": s("maxim"), "maxim_config": maxim(map[string]tftypes.Value{"api_key_wo": s(key), "api_key_wo_version": n(1)})}
	if diags := validateDiags(t, ps, valid); len(diags) != 0 {
		t.Errorf("a valid maxim_config.api_key_wo got diagnostics:%s", acctest.RenderDiags(diags))
	}
	valid = map[string]tftypes.Value{"name": s("mine"), "config_wo": s(`{"api_key":"` + key + `"}`), "config_wo_version": n(1)}
	if diags := validateDiags(t, ps, valid); len(diags) != 0 {
		t.Errorf("a valid config_wo got diagnostics:%s", acctest.RenderDiags(diags))
	}
}
