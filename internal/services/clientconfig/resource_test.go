package clientconfig_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

const addr = "bifrost_client_config.test"

// stored reads the server's client configuration out of band.
func stored(t *testing.T, tg *acctest.Target) bifrost.ClientConfig {
	t.Helper()
	cfg, err := tg.Client.GetConfig(acctest.Ctx(t))
	if err != nil {
		t.Fatalf("reading the client configuration: %v", err)
	}
	return cfg.ClientConfig
}

// change changes the server's client configuration out of band, as another
// user would (read-modify-write).
func change(t *testing.T, tg *acctest.Target, fn func(*bifrost.ClientConfig)) {
	t.Helper()
	cc := stored(t, tg)
	fn(&cc)
	if err := tg.Client.UpdateClientConfig(acctest.Ctx(t), cc); err != nil {
		t.Fatalf("changing the client configuration out of band: %v", err)
	}
}

// restoreAfter puts the client configuration back as it was when the test
// ends (against a real server). A log_retention_days below 1 cannot be
// written back: the test's value stays.
func restoreAfter(t *testing.T, tg *acctest.Target) {
	t.Helper()
	orig := stored(t, tg)
	t.Cleanup(func() {
		cfg, err := tg.Client.GetConfig(acctest.Ctx(t))
		if err != nil {
			t.Errorf("restoring the client configuration: %v", err)
			return
		}
		back := orig
		if back.LogRetentionDays < 1 {
			back.LogRetentionDays = cfg.ClientConfig.LogRetentionDays
		}
		if err := tg.Client.UpdateClientConfig(acctest.Ctx(t), back); err != nil {
			t.Errorf("restoring the client configuration: %v", err)
		}
	})
}

func config(tg *acctest.Target, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_client_config" "test" {
%s
}
`, body)
}

const (
	// first manages two settings.
	first = `
  log_retention_days   = 30
  drop_excess_requests = true`
	// second changes both, and manages more (nested members partly).
	second = `
  log_retention_days   = 60
  drop_excess_requests = false
  mcp_agent_depth      = 5
  logging_headers      = ["x-team"]
  compat = {
    should_drop_params = true
  }
  header_filter_config = {
    denylist = ["x-internal-*"]
  }`
)

// TestAccClientConfig_lifecycle covers the adoption of the singleton by
// create, the update of several settings (nested members partly set),
// out-of-band drift of managed settings (shown and corrected), settings
// nobody manages changed out of band (no diff, and they survive an apply of
// another setting), import with the fixed id, the data source, and destroy
// (the server's settings stay).
func TestAccClientConfig_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		restoreAfter(t, tg)
		before := stored(t, tg)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy: func(*terraform.State) error {
				cc := stored(t, tg)
				if cc.LogRetentionDays != 60 || cc.MCPAgentDepth != 5 || cc.Compat == nil || !cc.Compat.ShouldDropParams ||
					!reflect.DeepEqual(cc.LoggingHeaders, []string{"x-team"}) {
					return fmt.Errorf("destroy changed the server's settings: %+v", cc)
				}
				return nil
			},
			Steps: []resource.TestStep{
				// Create adopts the server's configuration: what is not
				// set shows the server's values and is left as it was.
				{
					Config: config(tg, first),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("client_config")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("log_retention_days"), knownvalue.Int64Exact(30)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("drop_excess_requests"), knownvalue.Bool(true)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("initial_pool_size"), knownvalue.Int64Exact(before.InitialPoolSize)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("mcp_code_mode_binding_level"), knownvalue.StringExact(before.MCPCodeModeBindingLevel)),
					},
					Check: func(*terraform.State) error {
						cc := stored(t, tg)
						want := before
						want.LogRetentionDays, want.DropExcessRequests = 30, true
						if !reflect.DeepEqual(cc, want) {
							return fmt.Errorf("stored after create\n got  %+v\n want %+v", cc, want)
						}
						return nil
					},
				},
				// Several settings change, and only they are in the plan.
				{
					Config: config(tg, second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "log_retention_days", "drop_excess_requests",
							"mcp_agent_depth", "logging_headers", "compat.should_drop_params", "header_filter_config.denylist")},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("compat").AtMapKey("should_drop_params"), knownvalue.Bool(true)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("compat").AtMapKey("convert_text_to_chat"), knownvalue.Bool(false)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("header_filter_config").AtMapKey("allowlist"), knownvalue.ListSizeExact(0)),
					},
					Check: func(*terraform.State) error {
						cc := stored(t, tg)
						if cc.LogRetentionDays != 60 || cc.DropExcessRequests || cc.MCPAgentDepth != 5 || !reflect.DeepEqual(cc.LoggingHeaders, []string{"x-team"}) ||
							cc.Compat == nil || !cc.Compat.ShouldDropParams || cc.Compat.ConvertTextToChat || cc.HeaderFilterConfig == nil ||
							!reflect.DeepEqual(cc.HeaderFilterConfig.Denylist, []string{"x-internal-*"}) || cc.InitialPoolSize != before.InitialPoolSize {
							return fmt.Errorf("stored after update: %+v", cc)
						}
						return nil
					},
				},
				// Settings nobody manages, changed out of band: no diff.
				{
					PreConfig: func() {
						change(t, tg, func(cc *bifrost.ClientConfig) {
							cc.DisableDBPingsInHealth, cc.MCPToolExecutionTimeout = true, 45
							cc.Compat.ConvertTextToChat = true
						})
					},
					Config:   config(tg, second),
					PlanOnly: true,
				},
				// Managed settings changed out of band (nested ones too):
				// the plan shows them, and only them; the apply puts them
				// back and keeps the unmanaged ones as changed.
				{
					PreConfig: func() {
						change(t, tg, func(cc *bifrost.ClientConfig) {
							cc.MCPAgentDepth, cc.LogRetentionDays, cc.LoggingHeaders = 7, 90, []string{"x-other"}
							cc.Compat.ShouldDropParams = false
						})
					},
					Config: config(tg, second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "mcp_agent_depth", "log_retention_days",
							"logging_headers", "compat.should_drop_params")},
					},
					Check: func(*terraform.State) error {
						cc := stored(t, tg)
						if cc.MCPAgentDepth != 5 || cc.LogRetentionDays != 60 || !reflect.DeepEqual(cc.LoggingHeaders, []string{"x-team"}) ||
							!cc.Compat.ShouldDropParams || !cc.Compat.ConvertTextToChat || !cc.DisableDBPingsInHealth || cc.MCPToolExecutionTimeout != 45 {
							return fmt.Errorf("stored after correcting the drift: %+v", cc)
						}
						return nil
					},
				},
				{
					ResourceName: addr, ImportState: true, ImportStateId: "client_config", ImportStateVerify: true,
				},
				// The data source shows the same settings.
				{
					Config: config(tg, second) + `
data "bifrost_client_config" "test" {
  depends_on = [bifrost_client_config.test]
}
`,
					Check: resource.ComposeTestCheckFunc(
						resource.TestCheckResourceAttr("data.bifrost_client_config.test", "id", "client_config"),
						resource.TestCheckResourceAttr("data.bifrost_client_config.test", "log_retention_days", "60"),
						resource.TestCheckResourceAttr("data.bifrost_client_config.test", "mcp_tool_execution_timeout", "45"),
						resource.TestCheckResourceAttr("data.bifrost_client_config.test", "compat.should_drop_params", "true"),
						resource.TestCheckResourceAttr("data.bifrost_client_config.test", "header_filter_config.denylist.0", "x-internal-*"),
						resource.TestCheckResourceAttrPair("data.bifrost_client_config.test", "initial_pool_size", addr, "initial_pool_size"),
						resource.TestCheckResourceAttrSet("data.bifrost_client_config.test", "restart_required"),
					),
				},
			},
		})
	})
}

// TestAccClientConfig_versionSettings covers the v2-only settings: managed
// on Bifrost ≥ 2.0, null (and refused at plan time, see
// TestBadInputs_providerServer) on v1.5.1.
func TestAccClientConfig_versionSettings(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		restoreAfter(t, tg)
		v2 := tg.Version(t).AtLeast(2, 0)
		body := "  log_retention_days = 10\n"
		check := statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_direct_keys"), knownvalue.Null())
		if v2 {
			body += "  allow_direct_keys = true\n"
			check = statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_direct_keys"), knownvalue.Bool(true))
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				Config:            config(tg, body),
				ConfigStateChecks: []statecheck.StateCheck{check},
				Check: func(*terraform.State) error {
					cc := stored(t, tg)
					if v2 && (cc.AllowDirectKeys == nil || !*cc.AllowDirectKeys) || !v2 && cc.AllowDirectKeys != nil {
						return fmt.Errorf("allow_direct_keys stored as %v", cc.AllowDirectKeys)
					}
					return nil
				},
			}},
		})
	})
}
