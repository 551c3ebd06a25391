package virtualkey_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// changeVK changes the virtual key of the last applied state out of band,
// as another user would: an update that keeps everything (ids, ownership,
// key_ids) but what change sets.
func changeVK(t *testing.T, tg *acctest.Target, id *string, change func(u *bifrost.VirtualKeyUpdate, cur *bifrost.VirtualKey)) func() {
	return func() {
		ctx := context.Background()
		cur, err := tg.Client.GetVirtualKey(ctx, *id)
		if err != nil {
			t.Fatalf("reading the virtual key: %v", err)
		}
		var u bifrost.VirtualKeyUpdate
		u.Owner(cur.TeamID, cur.CustomerID)
		pcs := []bifrost.ProviderConfigRequest{}
		for _, pc := range cur.ProviderConfigs {
			pcs = append(pcs, pc.AsUpdate())
		}
		u.ProviderConfigs = &pcs
		change(&u, cur)
		if _, err := tg.Client.UpdateVirtualKey(ctx, *id, u); err != nil {
			t.Fatalf("changing the virtual key out of band: %v", err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func captureID(id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		*id = rs.Primary.ID
		return nil
	}
}

// expectDrift checks that the plan reports a change of addr made outside
// Terraform (the refresh found it), e.g. a rotated value.
type expectDrift struct{}

func (expectDrift) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceDrift {
		if rc.Address == addr {
			return
		}
	}
	resp.Error = fmt.Errorf("the plan reports no change of %s made outside Terraform", addr)
}

// TestAccVirtualKey_drift changes each field out of band: the next plan
// shows the change, and the apply puts the configuration back.
func TestAccVirtualKey_drift(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ensureProviders(t, tg)
		team, cust := owners(t, tg)
		keyName, name := acctest.Name("vk-k"), acctest.Name("vk-drift")
		body := fmt.Sprintf(`
  description = "managed"
  team_id     = %q
  budgets     = [{ max_limit = 100, reset_duration = "1M" }]
  rate_limit  = { request_max_limit = 10, request_reset_duration = "1h" }
  provider_configs = {
    openai = {
      weight         = 0.5
      allowed_models = ["gpt-4o"]
      key_ids        = [bifrost_provider_key.k.id]
      budgets        = [{ max_limit = 10, reset_duration = "1d" }]
      rate_limit     = { request_max_limit = 5, request_reset_duration = "1h" }
    }
  }
`, team)
		cfg := vkConfig(tg, keyName, name, body)
		var id string
		type drift struct {
			name   string
			change func(u *bifrost.VirtualKeyUpdate, cur *bifrost.VirtualKey)
		}
		onOpenAI := func(f func(pc *bifrost.ProviderConfigRequest)) func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) {
			return func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) {
				for i := range *u.ProviderConfigs {
					f(&(*u.ProviderConfigs)[i])
				}
			}
		}
		drifts := []drift{
			{"name", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) { u.Name = ptr(name + "-x") }},
			{"description", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) { u.Description = ptr("changed") }},
			{"is_active", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) { u.IsActive = ptr(false) }},
			{"owner", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) { u.Owner("", cust) }},
			{"owner cleared", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) { u.Owner("", "") }},
			{"calendar_aligned", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) { u.CalendarAligned = ptr(true) }},
			{"budget max_limit", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) {
				u.Budgets = &[]bifrost.BudgetRequest{{MaxLimit: 5, ResetDuration: "1M"}}
			}},
			{"budget added", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) {
				u.Budgets = &[]bifrost.BudgetRequest{{MaxLimit: 100, ResetDuration: "1M"}, {MaxLimit: 1, ResetDuration: "1d"}}
			}},
			{"rate limit", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) {
				u.RateLimit = &bifrost.RateLimitRequest{TokenMaxLimit: ptr(int64(9)), TokenResetDuration: ptr("1h")}
			}},
			{"rate limit removed", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) { u.RateLimit = bifrost.RemoveRateLimit() }},
			{"weight", onOpenAI(func(pc *bifrost.ProviderConfigRequest) { pc.Weight = ptr(0.9) })},
			{"allowed_models", onOpenAI(func(pc *bifrost.ProviderConfigRequest) { pc.AllowedModels = []string{"*"} })},
			{"key_ids", onOpenAI(func(pc *bifrost.ProviderConfigRequest) { pc.KeyIDs = []string{"*"} })},
			{"key_ids denied", onOpenAI(func(pc *bifrost.ProviderConfigRequest) { pc.KeyIDs = nil })},
			{"provider budget", onOpenAI(func(pc *bifrost.ProviderConfigRequest) {
				pc.Budgets = []bifrost.BudgetRequest{{MaxLimit: 3, ResetDuration: "1d"}}
			})},
			{"provider rate limit", onOpenAI(func(pc *bifrost.ProviderConfigRequest) { pc.RateLimit = bifrost.RemoveRateLimit() })},
			{"provider config added", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) {
				*u.ProviderConfigs = append(*u.ProviderConfigs, bifrost.ProviderConfigRequest{Provider: "anthropic", AllowedModels: []string{"*"}, KeyIDs: []string{"*"}})
			}},
			{"provider config removed", func(u *bifrost.VirtualKeyUpdate, _ *bifrost.VirtualKey) {
				u.ProviderConfigs = &[]bifrost.ProviderConfigRequest{}
			}},
		}
		steps := []resource.TestStep{{Config: cfg, Check: captureID(&id)}}
		for _, d := range drifts {
			steps = append(steps, resource.TestStep{
				PreConfig: changeVK(t, tg, &id, d.change),
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
			})
		}
		if tg.Version(t).AtLeast(2, 0) {
			// Rotation outside Terraform: the refresh stores the new value,
			// and the plan reports the change.
			var before string
			steps = append(steps,
				resource.TestStep{Config: cfg, Check: resource.TestCheckResourceAttrWith(addr, "value", func(v string) error { before = v; return nil })},
				resource.TestStep{
					PreConfig: func() {
						if _, err := tg.Client.RotateVirtualKey(context.Background(), id); err != nil {
							t.Fatal(err)
						}
					},
					Config:           cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectDrift{}}},
					Check: resource.TestCheckResourceAttrWith(addr, "value", func(v string) error {
						if v == before {
							return fmt.Errorf("value not refreshed after an out-of-band rotation")
						}
						return nil
					}),
				})
		}
		steps = append(steps, resource.TestStep{
			// Deleted outside Terraform: removed from state, created again.
			PreConfig: func() {
				if err := tg.Client.DeleteVirtualKey(context.Background(), id); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
			}},
		})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps:                    steps,
		})
	})
}
