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

// TestAccPlugin_writeOnlyConfig configures the whole config write-only:
// no byte of it in the state or the plan, the server holds it, bumping
// config_wo_version sends the new one, and a change made outside Terraform
// shows as a change of config_wo_version and is written back.
func TestAccPlugin_writeOnlyConfig(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("wo-config")
		t.Cleanup(func() { _ = tg.Client.DeletePlugin(acctest.Ctx(t), name) })
		const first, second, outOfBand = "cfg-wo-first-0123456789abcdef", "cfg-wo-second-0123456789abcdef", "cfg-someone-else-0123456789abcdef"
		all := []string{first, second, outOfBand}
		cfg := func(version int) string {
			return secretVariable + pluginConfig(tg, name, fmt.Sprintf(`
  enabled           = false
  path              = "/opt/plugins/wo.so"
  config_wo         = jsonencode({ api_key = var.secret, region = "eu" })
  config_wo_version = %d`, version))
		}
		stateChecks := func(version int64) []statecheck.StateCheck {
			return []statecheck.StateCheck{
				acctest.NoSecretInState(all...),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_wo_version"), knownvalue.Int64Exact(version)),
			}
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: cfg(1), ConfigVariables: secretVar(first),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{acctest.NoSecretInPlan(all...)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), acctest.NoSecretInPlan(all...)},
					},
					ConfigStateChecks: stateChecks(1),
					Check: resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...),
						expectStored(t, tg, name, map[string]any{"api_key": first, "region": "eu"})),
				},
				{
					Config: cfg(2), ConfigVariables: secretVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							acctest.ExpectChangedLeaves(addr, nil, "config_wo_version"), acctest.NoSecretInPlan(all...),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: stateChecks(2),
					Check: resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...),
						expectStored(t, tg, name, map[string]any{"api_key": second, "region": "eu"})),
				},
				{
					// Changed outside Terraform: the plan writes config_wo again.
					PreConfig: func() {
						if _, err := tg.Client.UpdatePlugin(acctest.Ctx(t), name, bifrost.PluginUpdate{
							Path: stored(t, tg, name).Path, Config: json.RawMessage(`{"api_key":"` + outOfBand + `","region":"eu"}`),
						}); err != nil {
							t.Fatal(err)
						}
					},
					Config: cfg(2), ConfigVariables: secretVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							acctest.ExpectChangedLeaves(addr, nil, "config_wo_version"), acctest.NoSecretInPlan(all...),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: stateChecks(2),
					Check: resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...),
						expectStored(t, tg, name, map[string]any{"api_key": second, "region": "eu"})),
				},
			},
		})
	})
}

// TestAccPlugin_writeOnlyMaximAPIKey configures maxim_config.api_key
// write-only: no byte of it in the state or the plan, the server holds it,
// bumping api_key_wo_version sends the new one, and a change made outside
// Terraform is written back.
func TestAccPlugin_writeOnlyMaximAPIKey(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		const name = "maxim"
		t.Cleanup(func() { _ = tg.Client.DeletePlugin(acctest.Ctx(t), name) })
		const first, second, outOfBand = "maxim-wo-first-0123456789abcdef", "maxim-wo-second-0123456789abcdef", "maxim-someone-else-0123456789abcdef"
		all := []string{first, second, outOfBand}
		cfg := func(version int) string {
			return secretVariable + pluginConfig(tg, name, fmt.Sprintf(`
  enabled      = false
  maxim_config = {
    api_key_wo         = var.secret
    api_key_wo_version = %d
    log_repo_id        = "repo-wo"
  }`, version))
		}
		mc := tfjsonpath.New("maxim_config")
		stateChecks := func(version int64) []statecheck.StateCheck {
			return []statecheck.StateCheck{
				acctest.NoSecretInState(all...),
				statecheck.ExpectKnownValue(addr, mc.AtMapKey("api_key"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, mc.AtMapKey("api_key_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, mc.AtMapKey("api_key_wo_version"), knownvalue.Int64Exact(version)),
				statecheck.ExpectKnownValue(addr, mc.AtMapKey("log_repo_id"), knownvalue.StringExact("repo-wo")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.Null()),
			}
		}
		// The api key is Computed (left to Bifrost when not configured):
		// unknown in the plan of any change, null again after it.
		var ignore []string // maxim_config.api_key stays null, never "known after apply"
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: cfg(1), ConfigVariables: secretVar(first),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{acctest.NoSecretInPlan(all...)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), acctest.NoSecretInPlan(all...)},
					},
					ConfigStateChecks: stateChecks(1),
					Check: resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...),
						expectStored(t, tg, name, map[string]any{"api_key": first, "log_repo_id": "repo-wo"})),
				},
				{
					Config: cfg(2), ConfigVariables: secretVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							acctest.ExpectChangedLeaves(addr, ignore, "maxim_config.api_key_wo_version"), acctest.NoSecretInPlan(all...),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: stateChecks(2),
					Check: resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...),
						expectStored(t, tg, name, map[string]any{"api_key": second, "log_repo_id": "repo-wo"})),
				},
				{
					PreConfig: func() {
						if _, err := tg.Client.UpdatePlugin(acctest.Ctx(t), name, bifrost.PluginUpdate{
							Config: json.RawMessage(`{"api_key":"` + outOfBand + `","log_repo_id":"repo-wo"}`),
						}); err != nil {
							t.Fatal(err)
						}
					},
					Config: cfg(2), ConfigVariables: secretVar(second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							acctest.ExpectChangedLeaves(addr, ignore, "maxim_config.api_key_wo_version"), acctest.NoSecretInPlan(all...),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: stateChecks(2),
					Check: resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...),
						expectStored(t, tg, name, map[string]any{"api_key": second, "log_repo_id": "repo-wo"})),
				},
			},
		})
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
	typ := ps.ResourceType(typeName)
	s := func(v string) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	n := func(v int) tftypes.Value { return tftypes.NewValue(tftypes.Number, v) }
	maxim := func(vals map[string]tftypes.Value) tftypes.Value {
		ot := typ.(tftypes.Object).AttributeTypes["maxim_config"].(tftypes.Object)
		full := map[string]tftypes.Value{}
		for k, at := range ot.AttributeTypes {
			full[k] = tftypes.NewValue(at, nil)
		}
		for k, v := range vals {
			full[k] = v
		}
		return tftypes.NewValue(ot, full)
	}
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
