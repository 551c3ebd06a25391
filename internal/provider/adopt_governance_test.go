package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestAccGovernance_adoptGeneratedConfig adopts the governance of an
// existing Bifrost — a customer, its team with budgets and a rate limit, and
// the team's virtual key limited to one provider key — through import blocks
// and `terraform plan -generate-config-out`: the generated configuration
// applies as it is (imports only, no write), the next plan is empty, and
// destroy removes everything.
func TestAccGovernance_adoptGeneratedConfig(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	cli := acctest.NewCLI(t)
	ctx := acctest.Ctx(t)
	tg.EnsureProviders(t, "openai")
	prefix := acctest.Name("adoptgov")
	key := tg.CreateKey(t, "openai", bifrost.Key{ID: prefix + "-key", Name: prefix + "-key",
		Value: bifrost.Literal("sk-adoptgov-0123456789abcdefghij"), Models: []string{"*"}, Weight: 1})
	hour, month := "1h", "1M"
	requests := int64(600)
	customer, err := tg.Client.CreateCustomer(ctx, bifrost.CustomerCreate{Name: prefix + "-customer",
		RateLimit: &bifrost.RateLimitRequest{RequestMaxLimit: &requests, RequestResetDuration: &hour}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tg.Client.DeleteCustomer(ctx, customer.ID) })
	team, err := tg.Client.CreateTeam(ctx, bifrost.TeamCreate{Name: prefix + "-team", CustomerID: customer.ID,
		Budgets: []bifrost.BudgetRequest{{MaxLimit: 100, ResetDuration: month}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tg.Client.DeleteTeam(ctx, team.ID) })
	vk, err := tg.Client.CreateVirtualKey(ctx, bifrost.VirtualKeyCreate{Name: prefix + "-vk", TeamID: team.ID,
		Budgets:         []bifrost.BudgetRequest{{MaxLimit: 10, ResetDuration: "1d"}},
		ProviderConfigs: []bifrost.ProviderConfigRequest{{Provider: "openai", AllowedModels: []string{"gpt-4o-mini"}, KeyIDs: []string{key.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tg.Client.DeleteVirtualKey(ctx, vk.ID) })

	cli.Write("main.tf", tg.ProviderConfig()+fmt.Sprintf(`
import {
  to = bifrost_customer.adopted
  id = %q
}

import {
  to = bifrost_team.adopted
  id = %q
}

import {
  to = bifrost_virtual_key.adopted
  id = %q
}
`, customer.ID, team.ID, vk.ID))
	cli.Run("init")
	cli.Run("plan", "-generate-config-out=generated.tf")
	if generated := cli.Read("generated.tf"); !strings.Contains(generated, `resource "bifrost_virtual_key" "adopted"`) {
		t.Fatalf("generated configuration:\n%s", generated)
	}
	if tg.Emulator != nil {
		tg.Emulator.ResetRequests()
	}
	out := cli.Run("apply", "-auto-approve")
	if !strings.Contains(out, "3 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("apply of the generated configuration did not just import:\n%s", out)
	}
	if tg.Emulator != nil {
		if n := tg.Emulator.LockStats().Writes; n != 0 {
			t.Errorf("adoption wrote to Bifrost %d times, want none", n)
		}
	}
	if out, code := cli.Exit("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("plan after adoption: exit %d, want 0 (no changes):\n%s", code, out)
	}
	if err := acctest.NoSecretIn(cli.Read("terraform.tfstate"), "sk-adoptgov-0123456789abcdefghij"); err != nil {
		t.Error(err)
	}
	cli.Run("destroy", "-auto-approve")
	if _, err := tg.Client.GetVirtualKey(ctx, vk.ID); !bifrost.IsNotFound(err) {
		t.Errorf("virtual key after destroy: %v, want not found", err)
	}
	if _, err := tg.Client.GetTeam(ctx, team.ID); !bifrost.IsNotFound(err) {
		t.Errorf("team after destroy: %v, want not found", err)
	}
	if _, err := tg.Client.GetCustomer(ctx, customer.ID); !bifrost.IsNotFound(err) {
		t.Errorf("customer after destroy: %v, want not found", err)
	}
}
