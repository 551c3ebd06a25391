package plugin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

const addr = "bifrost_plugin.test"

// pluginConfig is the bifrost_plugin "test" named name with body.
func pluginConfig(tg *acctest.Target, name, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_plugin" "test" {
  name = %q
%s
}
`, name, body)
}

// stored reads the plugin name out of band.
func stored(t *testing.T, tg *acctest.Target, name string) *bifrost.Plugin {
	t.Helper()
	p, err := tg.Client.GetPlugin(acctest.Ctx(t), name)
	if err != nil {
		t.Fatalf("reading plugin %s: %v", name, err)
	}
	return p
}

// config is the decoded stored config.
func config(p *bifrost.Plugin) map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal(p.Config, &m)
	return m
}

func checkDestroyed(tg *acctest.Target) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "bifrost_plugin" {
				continue
			}
			if _, err := tg.Client.GetPlugin(context.Background(), rs.Primary.ID); !bifrost.IsNotFound(err) {
				return fmt.Errorf("plugin %s still exists after destroy (%v)", rs.Primary.ID, err)
			}
		}
		return nil
	}
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func num(p *int64) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprint(*p)
}

// The plugins are created disabled: a real Bifrost loads an enabled custom
// plugin's .so at once and refuses one it cannot load; enabling is tested
// against the emulator only.
const (
	bodyV1 = `
  enabled   = false
  config    = jsonencode({ endpoint = "http://127.0.0.1:4318", headers = { "x-api-key" = "s3cret" }, sample = 1 })
  path      = "/opt/bifrost/plugins/a.so"
  placement = "pre_builtin"
  order     = 1`
	// The same config written differently: no change.
	bodyV1Spelled = `
  enabled   = false
  config    = "{\"sample\": 1.0, \"headers\": {\"x-api-key\": \"s3cret\"},\n \"endpoint\": \"http://127.0.0.1:4318\"}"
  path      = "/opt/bifrost/plugins/a.so"
  placement = "pre_builtin"
  order     = 1`
	bodyConfig = `
  enabled   = false
  config    = jsonencode({ endpoint = "http://127.0.0.1:4319", sample = 0.5 })
  path      = "/opt/bifrost/plugins/a.so"
  placement = "pre_builtin"
  order     = 1`
	bodyPlacement = `
  enabled   = false
  config    = jsonencode({ endpoint = "http://127.0.0.1:4319", sample = 0.5 })
  path      = "/opt/bifrost/plugins/b.so"
  placement = "post_builtin"
  order     = 7`
	bodyEnabled = `
  config    = jsonencode({ endpoint = "http://127.0.0.1:4319", sample = 0.5 })
  path      = "/opt/bifrost/plugins/b.so"
  placement = "post_builtin"
  order     = 7`
	bodyBare = `
  enabled = false`
)

// TestAccPlugin_lifecycle covers create, the semantic equality of config,
// the in-place update of config, path, placement, order and enabled, the
// removal of the optional fields, out-of-band drift of each field,
// out-of-band deletion, import by name, and destroy.
func TestAccPlugin_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("plugin")
		update := func(body string, changed []string, check func(p *bifrost.Plugin) error) resource.TestStep {
			return resource.TestStep{
				Config: pluginConfig(tg, name, body),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), acctest.ExpectChangedAttributes(addr, changed...)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error { return check(stored(t, tg, name)) },
			}
		}
		steps := []resource.TestStep{
			{
				Config: pluginConfig(tg, name, bodyV1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{configSensitive{}},
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "id", name),
					resource.TestCheckResourceAttr(addr, "is_custom", "true"),
					resource.TestCheckResourceAttr(addr, "order", "1"),
					func(*terraform.State) error {
						p := stored(t, tg, name)
						want := map[string]any{"endpoint": "http://127.0.0.1:4318", "headers": map[string]any{"x-api-key": "s3cret"}, "sample": 1.0}
						if p.Enabled || !reflect.DeepEqual(config(p), want) || str(p.Path) != "/opt/bifrost/plugins/a.so" ||
							str(p.Placement) != "pre_builtin" || num(p.Order) != "1" {
							return fmt.Errorf("stored plugin differs from the configuration: %+v, config %s", p, p.Config)
						}
						return nil
					},
				),
			},
			{
				Config:             pluginConfig(tg, name, bodyV1Spelled),
				PlanOnly:           true,
				ExpectNonEmptyPlan: false,
			},
			update(bodyConfig, []string{"config"}, func(p *bifrost.Plugin) error {
				if !reflect.DeepEqual(config(p), map[string]any{"endpoint": "http://127.0.0.1:4319", "sample": 0.5}) {
					return fmt.Errorf("config not replaced: %s", p.Config)
				}
				return nil
			}),
			update(bodyPlacement, []string{"path", "placement", "order"}, func(p *bifrost.Plugin) error {
				if str(p.Path) != "/opt/bifrost/plugins/b.so" || str(p.Placement) != "post_builtin" || num(p.Order) != "7" || p.Enabled {
					return fmt.Errorf("path, placement, order not updated: %+v", p)
				}
				return nil
			}),
		}
		if tg.Emulator != nil {
			steps = append(steps, update(bodyEnabled, []string{"enabled"}, func(p *bifrost.Plugin) error {
				if !p.Enabled || str(p.Path) != "/opt/bifrost/plugins/b.so" {
					return fmt.Errorf("not enabled: %+v", p)
				}
				return nil
			}))
		}
		steps = append(steps,
			// Every optional field removed: Bifrost's update is a full
			// replacement, so they go.
			update(bodyBare, []string{"config", "path", "placement", "order", "enabled"}, func(p *bifrost.Plugin) error {
				if p.Enabled || !bifrost.PluginConfigEmpty(p.Config) || p.Path != nil || p.Placement != nil || p.Order != nil {
					return fmt.Errorf("fields not removed: %+v, config %s", p, p.Config)
				}
				return nil
			}),
			resource.TestStep{Config: pluginConfig(tg, name, bodyPlacement)},
			// Out-of-band drift of every field: the plan sets them back.
			resource.TestStep{
				PreConfig: func() {
					if _, err := tg.Client.UpdatePlugin(acctest.Ctx(t), name, bifrost.PluginUpdate{
						Config: json.RawMessage(`{"endpoint":"http://127.0.0.1:9999"}`), Path: ptr("/opt/other.so"),
						Placement: ptr("pre_builtin"), Order: ptr(int64(2)),
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: pluginConfig(tg, name, bodyPlacement),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						acctest.ExpectChangedAttributes(addr, "config", "path", "placement", "order")},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					p := stored(t, tg, name)
					if str(p.Path) != "/opt/bifrost/plugins/b.so" || str(p.Placement) != "post_builtin" || num(p.Order) != "7" ||
						!reflect.DeepEqual(config(p), map[string]any{"endpoint": "http://127.0.0.1:4319", "sample": 0.5}) {
						return fmt.Errorf("drift not corrected: %+v, config %s", p, p.Config)
					}
					return nil
				},
			},
			// Enabled out of band (emulator) / config removed out of band.
			resource.TestStep{
				PreConfig: func() {
					if _, err := tg.Client.UpdatePlugin(acctest.Ctx(t), name, bifrost.PluginUpdate{Enabled: tg.Emulator != nil,
						Path: ptr("/opt/bifrost/plugins/b.so"), Placement: ptr("post_builtin"), Order: ptr(int64(7))}); err != nil {
						t.Fatal(err)
					}
				},
				Config: pluginConfig(tg, name, bodyPlacement),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					if p := stored(t, tg, name); p.Enabled || bifrost.PluginConfigEmpty(p.Config) {
						return fmt.Errorf("drift not corrected: %+v", p)
					}
					return nil
				},
			},
			// Deleted out of band: created again.
			resource.TestStep{
				PreConfig: func() {
					if err := tg.Client.DeletePlugin(acctest.Ctx(t), name); err != nil {
						t.Fatal(err)
					}
				},
				Config: pluginConfig(tg, name, bodyPlacement),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: func(*terraform.State) error {
					if p := stored(t, tg, name); str(p.Path) != "/opt/bifrost/plugins/b.so" {
						return fmt.Errorf("not created again: %+v", p)
					}
					return nil
				},
			},
			// Import by name.
			resource.TestStep{
				Config: pluginConfig(tg, name, bodyPlacement), ResourceName: addr, ImportState: true,
				ImportStateId: name, ImportStateVerify: true,
			},
		)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps:                    steps,
		})
	})
}

func ptr[T any](v T) *T { return &v }

// TestAccPlugin_refusesExisting: Bifrost has a plugin of that name; the
// plan warns, and the create fails with an import hint, leaving the
// existing plugin as it was (no silent takeover by Bifrost's upsert).
func TestAccPlugin_refusesExisting(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("plugin-taken")
		t.Cleanup(func() { _ = tg.Client.DeletePlugin(context.Background(), name) })
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				PreConfig: func() {
					if _, err := tg.Client.CreatePlugin(acctest.Ctx(t), bifrost.PluginCreate{Name: name,
						Config: json.RawMessage(`{"keep":"me"}`), Path: ptr("/opt/keep.so")}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      pluginConfig(tg, name, bodyV1),
				ExpectError: regexp.MustCompile(`Plugin already exists(.|\n)*terraform\s+import\s+bifrost_plugin`),
			}},
		})
		p := stored(t, tg, name)
		if !reflect.DeepEqual(config(p), map[string]any{"keep": "me"}) || str(p.Path) != "/opt/keep.so" {
			t.Errorf("the existing plugin was changed: %+v, config %s", p, p.Config)
		}
	})
}

// TestAccPlugin_dataSources reads a plugin by name and the plugins
// selected by name_regex.
func TestAccPlugin_dataSources(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("plugin-ds")
		cfg := pluginConfig(tg, name, bodyV1) + fmt.Sprintf(`
data "bifrost_plugin" "one" {
  name = bifrost_plugin.test.name
}

data "bifrost_plugins" "all" {
  name_regex = "^%s$"
  depends_on = [bifrost_plugin.test]
}
`, regexp.QuoteMeta(name))
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("data.bifrost_plugin.one", "enabled", "false"),
					resource.TestCheckResourceAttr("data.bifrost_plugin.one", "path", "/opt/bifrost/plugins/a.so"),
					resource.TestCheckResourceAttr("data.bifrost_plugin.one", "placement", "pre_builtin"),
					resource.TestCheckResourceAttr("data.bifrost_plugin.one", "order", "1"),
					resource.TestCheckResourceAttr("data.bifrost_plugin.one", "is_custom", "true"),
					resource.TestCheckResourceAttrSet("data.bifrost_plugin.one", "status"),
					resource.TestCheckResourceAttrWith("data.bifrost_plugin.one", "config", func(v string) error {
						if !json.Valid([]byte(v)) || !regexp.MustCompile(`s3cret`).MatchString(v) {
							return fmt.Errorf("config %q", v)
						}
						return nil
					}),
					resource.TestCheckResourceAttr("data.bifrost_plugins.all", "names.#", "1"),
					resource.TestCheckResourceAttr("data.bifrost_plugins.all", "names.0", name),
					resource.TestCheckResourceAttr("data.bifrost_plugins.all", "plugins.0.order", "1"),
				),
			}},
		})
	})
}

// TestAccPlugin_importByIdentity imports with an import block by resource
// identity (Terraform ≥ 1.12; TestImport_providerServer covers the same
// path on older CLIs).
func TestAccPlugin_importByIdentity(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		acctest.RunImportByIdentity(t, pluginConfig(tg, acctest.Name("plugin-ident"), bodyV1), addr, checkDestroyed(tg))
	})
}

// configSensitive checks that the plan marks the plugin's config as
// sensitive (Terraform then never shows it in the plan's text).
type configSensitive struct{}

func (configSensitive) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != addr {
			continue
		}
		if m, ok := rc.Change.AfterSensitive.(map[string]any); ok && m["config"] == true {
			return
		}
		resp.Error = fmt.Errorf("config is not marked sensitive in the plan: %v", rc.Change.AfterSensitive)
		return
	}
	resp.Error = fmt.Errorf("%s not in the plan", addr)
}
