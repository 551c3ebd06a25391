package plugin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// expectStored checks that Bifrost holds exactly want as the config of
// plugin name.
func expectStored(t *testing.T, tg *acctest.Target, name string, want map[string]any) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p := stored(t, tg, name)
		if got := config(p); !reflect.DeepEqual(got, want) {
			return fmt.Errorf("stored config %s, want %v", p.Config, want)
		}
		return nil
	}
}

const (
	cacheV1 = `
  enabled = false
  semantic_cache_config = {
    provider        = "openai"
    embedding_model = "text-embedding-3-small"
    dimension       = 1536
    ttl             = "1h"
    threshold       = 0.8
    cache_by_model  = false
  }`
	cacheV2 = `
  enabled = false
  semantic_cache_config = {
    provider        = "openai"
    embedding_model = "text-embedding-3-small"
    dimension       = 1536
    ttl             = "1h"
    threshold       = 0.9
    cache_by_model  = false
  }`
)

// TestAccPlugin_semanticCacheConfig: the typed semantic_cache config is
// sent as the JSON object config would send, updated field by field,
// shows a field changed outside Terraform (and not a ttl written in
// seconds for the same duration), and is imported typed.
func TestAccPlugin_semanticCacheConfig(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		const name = "semantic_cache"
		t.Cleanup(func() { _ = tg.Client.DeletePlugin(acctest.Ctx(t), name) })
		want := func(threshold float64) map[string]any {
			return map[string]any{"provider": "openai", "embedding_model": "text-embedding-3-small", "dimension": 1536.0,
				"ttl": "1h", "threshold": threshold, "cache_by_model": false}
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: pluginConfig(tg, name, cacheV1),
					Check: resource.ComposeTestCheckFunc(
						resource.TestCheckNoResourceAttr(addr, "config"),
						resource.TestCheckResourceAttr(addr, "semantic_cache_config.dimension", "1536"),
						resource.TestCheckNoResourceAttr(addr, "semantic_cache_config.exclude_system_prompt"),
						expectStored(t, tg, name, want(0.8)),
					),
				},
				{
					Config: pluginConfig(tg, name, cacheV2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "semantic_cache_config.threshold")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: expectStored(t, tg, name, want(0.9)),
				},
				// Drift: threshold and dimension changed out of band, ttl
				// rewritten in seconds (the same hour: no change).
				{
					PreConfig: func() {
						if _, err := tg.Client.UpdatePlugin(acctest.Ctx(t), name, bifrost.PluginUpdate{Config: json.RawMessage(
							`{"provider":"openai","embedding_model":"text-embedding-3-small","dimension":768,"ttl":3600,"threshold":0.5,"cache_by_model":false}`)}); err != nil {
							t.Fatal(err)
						}
					},
					Config: pluginConfig(tg, name, cacheV2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil,
							"semantic_cache_config.dimension", "semantic_cache_config.threshold")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: expectStored(t, tg, name, want(0.9)),
				},
				{
					Config: pluginConfig(tg, name, cacheV2), ResourceName: addr, ImportState: true,
					ImportStateId: name, ImportStateVerify: true,
				},
			},
		})
	})
}

// TestAccPlugin_maximConfig: the typed maxim config (api_key sensitive),
// an update of log_repo_id, its removal out of band, and import.
func TestAccPlugin_maximConfig(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		const name = "maxim"
		t.Cleanup(func() { _ = tg.Client.DeletePlugin(acctest.Ctx(t), name) })
		body := func(repo string) string {
			return fmt.Sprintf(`
  enabled      = false
  maxim_config = { api_key = "s3cret", log_repo_id = %q }`, repo)
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: pluginConfig(tg, name, body("repo-1")),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{apiKeySensitive{}},
					},
					Check: expectStored(t, tg, name, map[string]any{"api_key": "s3cret", "log_repo_id": "repo-1"}),
				},
				{
					Config: pluginConfig(tg, name, body("repo-2")),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "maxim_config.log_repo_id")},
					},
					Check: expectStored(t, tg, name, map[string]any{"api_key": "s3cret", "log_repo_id": "repo-2"}),
				},
				{
					PreConfig: func() {
						if _, err := tg.Client.UpdatePlugin(acctest.Ctx(t), name, bifrost.PluginUpdate{Config: json.RawMessage(`{"api_key":"rotated"}`)}); err != nil {
							t.Fatal(err)
						}
					},
					Config: pluginConfig(tg, name, body("repo-2")),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "maxim_config.api_key", "maxim_config.log_repo_id")},
					},
					Check: expectStored(t, tg, name, map[string]any{"api_key": "s3cret", "log_repo_id": "repo-2"}),
				},
				{
					Config: pluginConfig(tg, name, body("repo-2")), ResourceName: addr, ImportState: true,
					ImportStateId: name, ImportStateVerify: true,
				},
			},
		})
	})
}

// apiKeySensitive checks that the plan marks maxim_config.api_key
// sensitive.
type apiKeySensitive struct{}

func (apiKeySensitive) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != addr {
			continue
		}
		if m, ok := rc.Change.AfterSensitive.(map[string]any); ok {
			if mc, ok := m["maxim_config"].(map[string]any); ok && mc["api_key"] == true {
				return
			}
		}
		resp.Error = fmt.Errorf("maxim_config.api_key is not marked sensitive in the plan: %v", rc.Change.AfterSensitive)
		return
	}
	resp.Error = fmt.Errorf("%s not in the plan", addr)
}

// TestTypedConfigBadInputs_providerServer: the typed configs' plan-time
// errors (text and attribute).
func TestTypedConfigBadInputs_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	ps := acctest.NewProtocolServer(t, emu.URL())
	obj := func(attr string, vals map[string]tftypes.Value) tftypes.Value { return nested(ps, attr, vals) }
	maxim := obj("maxim_config", map[string]tftypes.Value{"api_key": s("s3cret")})
	cache := func(k string, v tftypes.Value) tftypes.Value {
		return obj("semantic_cache_config", map[string]tftypes.Value{"dimension": tftypes.NewValue(tftypes.Number, 1), k: v})
	}
	errSev := tfprotov6.DiagnosticSeverityError
	for _, tc := range []struct {
		name   string
		config map[string]tftypes.Value
		path   string
		want   []string
	}{
		{name: "typed config on another built-in", config: map[string]tftypes.Value{"name": s("semantic_cache"), "maxim_config": maxim},
			path: "maxim_config", want: []string{"Typed config on another plugin", `maxim_config is the configuration of the "maxim" plugin only, and name is "semantic_cache"`,
				"use semantic_cache_config (or config)", `semantic_cache_config (name = "semantic_cache")`}},
		{name: "typed config on a custom plugin", config: map[string]tftypes.Value{"name": s("mine"), "semantic_cache_config": cache("ttl", s("5m"))},
			path: "semantic_cache_config", want: []string{"Typed config on another plugin", `and name is "mine": it has no typed config: use config (JSON)`,
				`maxim_config (name = "maxim")`}},
		{name: "typed config and config", config: map[string]tftypes.Value{"name": s("maxim"), "maxim_config": maxim, "config": s(`{"api_key":"s3cret"}`)},
			path: "maxim_config", want: []string{"Conflicting plugin configs", "maxim_config and config are both set"}},
		{name: "bad ttl", config: map[string]tftypes.Value{"name": s("semantic_cache"), "semantic_cache_config": cache("ttl", s("5 minutes"))},
			path: "semantic_cache_config.ttl", want: []string{"Invalid duration", `"5 minutes" is not a duration`}},
		{name: "zero ttl", config: map[string]tftypes.Value{"name": s("semantic_cache"), "semantic_cache_config": cache("ttl", s("0s"))},
			path: "semantic_cache_config.ttl", want: []string{"Invalid duration", "not greater than zero"}},
		{name: "threshold above 1", config: map[string]tftypes.Value{"name": s("semantic_cache"), "semantic_cache_config": cache("threshold", tftypes.NewValue(tftypes.Number, 1.5))},
			path: "semantic_cache_config.threshold", want: []string{"value must be between 0.000000 and 1.000000", "got: 1.500000"}},
		{name: "empty api key", config: map[string]tftypes.Value{"name": s("maxim"), "maxim_config": obj("maxim_config", map[string]tftypes.Value{"api_key": s("")})},
			path: "maxim_config.api_key", want: []string{"string length must be at least 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := ps.PlanDiags(t, typeName, tc.config, nil)
			acctest.ExpectOneDiagOn(t, diags, errSev, tc.path, tc.want...)
			if strings.Contains(acctest.RenderDiags(diags), "s3cret") {
				t.Errorf("a diagnostic quotes the api key:%s", acctest.RenderDiags(diags))
			}
		})
	}
	if diags := ps.PlanDiags(t, typeName, map[string]tftypes.Value{"name": s("maxim"), "maxim_config": maxim}, nil); len(diags) != 0 {
		t.Errorf("a valid maxim_config got diagnostics:%s", acctest.RenderDiags(diags))
	}
}
