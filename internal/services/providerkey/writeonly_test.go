package providerkey_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// woScenario is a provider-specific block whose every secret is configured
// write-only.
type woScenario struct {
	provider, block string
	v2              bool              // Bifrost ≥ 2.0 only
	secrets         map[string]string // attribute → first secret
	other           string            // the block's other (non-secret) attributes
	setSecrets      func(k *bifrost.Key, secrets map[string]string)
	rotatedAttr     string // the attribute rotated (in Terraform, then out of band)
}

var woScenarios = map[string]woScenario{
	"bedrock": {
		provider: "bedrock", block: "bedrock_key_config",
		secrets: map[string]string{
			"access_key": "AKIAWOFIRST0123456789", "secret_key": "wo-secret-key-0123456789abcdef", "session_token": "wo-session-token-0123456789abcdef",
		},
		other: `region = "us-east-1"`,
		setSecrets: func(k *bifrost.Key, s map[string]string) {
			c := k.BedrockKeyConfig
			c.AccessKey, c.SecretKey = bifrost.Literal(s["access_key"]), bifrost.Literal(s["secret_key"])
			tok := bifrost.Literal(s["session_token"])
			c.SessionToken = &tok
		},
		rotatedAttr: "secret_key",
	},
	"bedrock_mantle": {
		provider: "bedrock_mantle", block: "bedrock_mantle_key_config", v2: true,
		secrets: map[string]string{
			"access_key": "AKIAMANTLEWO0123456789", "secret_key": "wo-mantle-secret-0123456789abcdef", "session_token": "wo-mantle-token-0123456789abcdef",
		},
		other: `region = "us-west-2"`,
		setSecrets: func(k *bifrost.Key, s map[string]string) {
			c := k.BedrockMantleKeyConfig
			c.AccessKey, c.SecretKey = bifrost.Literal(s["access_key"]), bifrost.Literal(s["secret_key"])
			tok := bifrost.Literal(s["session_token"])
			c.SessionToken = &tok
		},
		rotatedAttr: "access_key",
	},
	"azure": {
		provider: "azure", block: "azure_key_config",
		secrets: map[string]string{"client_secret": "wo-client-secret-0123456789abcdef"},
		other: `endpoint  = "https://example-resource.localhost"
    client_id = "client-id-0123456789"
    tenant_id = "tenant-id-0123456789"`,
		setSecrets: func(k *bifrost.Key, s map[string]string) {
			v := bifrost.Literal(s["client_secret"])
			k.AzureKeyConfig.ClientSecret = &v
		},
		rotatedAttr: "client_secret",
	},
	"vertex": {
		provider: "vertex", block: "vertex_key_config",
		secrets: map[string]string{"auth_credentials": `{"type":"service_account","private_key":"wo-private-key-0123456789abcdef"}`},
		other:   `project_id = "my-project-id"`,
		setSecrets: func(k *bifrost.Key, s map[string]string) {
			k.VertexKeyConfig.AuthCredentials = bifrost.Literal(s["auth_credentials"])
		},
		rotatedAttr: "auth_credentials",
	},
}

// checkStoredSecrets checks that the emulator stores each configured secret
// itself (not a mask).
func checkStoredSecrets(tg *acctest.Target, provider, block, id string, secrets map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if tg.Emulator == nil {
			return nil
		}
		stored := tg.StoredKey(provider, id).Secrets
		for attr, want := range secrets {
			if got := stored[block+"."+attr]; got != want {
				return fmt.Errorf("%s.%s: the emulator stores %s, not the configured secret %s", block, attr, bifrost.Mask(got), bifrost.Mask(want))
			}
		}
		return nil
	}
}

// TestAccProviderKey_writeOnlyBlocks configures every secret of each
// provider-specific block write-only and checks: no byte of any secret in
// the state or the plan, the server holds the real secrets, bumping
// X_wo_version sends the new secret, and a rotation made outside Terraform
// shows as a change of X_wo_version and is written back.
func TestAccProviderKey_writeOnlyBlocks(t *testing.T) {
	for label, sc := range woScenarios {
		t.Run(label, func(t *testing.T) {
			opts := emulator.Options{}
			if sc.v2 {
				opts.Version = "v2.2.6"
			}
			tg := acctest.New(t, opts)
			if sc.v2 {
				if v, err := tg.Client.ServerVersion(acctest.Ctx(t)); err != nil || !v.AtLeast(2, 0) {
					t.Skipf("needs a Bifrost 2 server (%v, %v)", v.Raw, err)
				}
			}
			tg.EnsureProviders(t, sc.provider)
			name, id := acctest.Name("wo-"+label), acctest.Name("wo-id")
			attrs := make([]string, 0, len(sc.secrets))
			for a := range sc.secrets {
				attrs = append(attrs, a)
			}
			sort.Strings(attrs)
			second := map[string]string{}
			for a, s := range sc.secrets {
				second[a] = s
			}
			second[sc.rotatedAttr] = "wo-second-" + sc.secrets[sc.rotatedAttr] + "-zz"
			outOfBand := "someone-else-0123456789abcdefghij-yy"
			all := []string{outOfBand}
			for _, a := range attrs {
				all = append(all, sc.secrets[a], second[a])
			}
			cfg := func(secrets map[string]string, rotatedVersion int) string {
				var b strings.Builder
				for _, a := range attrs {
					v := 1
					if a == sc.rotatedAttr {
						v = rotatedVersion
					}
					fmt.Fprintf(&b, "\n    %s_wo = %q\n    %s_wo_version = %d", a, secrets[a], a, v)
				}
				return keyConfig(tg, sc.provider, name, fmt.Sprintf(`
  id = %q
  %s {
    %s%s
  }`, id, sc.block, sc.other, b.String()))
			}
			noSecret := []plancheck.PlanCheck{acctest.NoSecretInPlan(all...)}
			stateChecks := []statecheck.StateCheck{acctest.NoSecretInState(all...)}
			for _, a := range attrs {
				stateChecks = append(stateChecks,
					statecheck.ExpectKnownValue(addr, tfjsonpath.New(sc.block).AtMapKey(a), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New(sc.block).AtMapKey(a+"_wo"), knownvalue.Null()))
			}
			versionChanged := acctest.ExpectChangedLeaves(addr, []string{"status", "description"}, sc.block+"."+sc.rotatedAttr+"_wo_version")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				CheckDestroy:             tg.CheckKeysDestroyed,
				Steps: []resource.TestStep{
					{
						Config: cfg(sc.secrets, 1),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             noSecret,
							PostApplyPostRefresh: append([]plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}, noSecret...),
						},
						ConfigStateChecks: stateChecks,
						Check:             resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...), checkStoredSecrets(tg, sc.provider, sc.block, id, sc.secrets)),
					},
					{
						// A new secret with a new version is sent.
						Config: cfg(second, 2),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             append([]plancheck.PlanCheck{versionChanged}, noSecret...),
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: stateChecks,
						Check:             resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...), checkStoredSecrets(tg, sc.provider, sc.block, id, second)),
					},
					{
						// A rotation outside Terraform: the refresh nulls the
						// version, the plan writes the configured secret again.
						PreConfig: func() {
							rotated := map[string]string{}
							for a, s := range second {
								rotated[a] = s
							}
							rotated[sc.rotatedAttr] = outOfBand
							tg.ChangeKey(t, sc.provider, id, "", func(k *bifrost.Key) { sc.setSecrets(k, rotated) })
							if tg.Emulator != nil {
								if got := tg.StoredKey(sc.provider, id).Secrets[sc.block+"."+sc.rotatedAttr]; got != outOfBand {
									t.Fatalf("out-of-band rotation not stored: %s", bifrost.Mask(got))
								}
							}
						},
						Config: cfg(second, 2),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             append([]plancheck.PlanCheck{versionChanged}, noSecret...),
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: stateChecks,
						Check:             resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...), checkStoredSecrets(tg, sc.provider, sc.block, id, second)),
					},
				},
			})
		})
	}
}
