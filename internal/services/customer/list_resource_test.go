package customer_test

import (
	"context"
	"fmt"
	"math/big"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// list lists customers through the provider server (see acctest.ListResource).
func list(t *testing.T, ps *acctest.ProtocolServer, attrs map[string]tftypes.Value, includeResource bool, limit int64) ([]acctest.Listed, []*tfprotov6.Diagnostic) {
	t.Helper()
	return ps.ListResource(t, typeName, attrs, includeResource, limit)
}

// TestListResource_providerServer lists customers, with and without the
// resource objects, with a name filter and a limit; customers of the same
// name are told apart by their identity.
func TestListResource_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	ctx := context.Background()
	tok, dur := int64(100), "1h"
	var cs []*bifrost.Customer
	for _, in := range []bifrost.CustomerCreate{
		{Name: "acme", Budget: &bifrost.BudgetRequest{MaxLimit: 50, ResetDuration: "1d"}, RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: &tok, TokenResetDuration: &dur}},
		{Name: "acme"},
		{Name: "globex"},
	} {
		cu, err := client.CreateCustomer(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, cu)
	}
	ps := acctest.NewProtocolServer(t, emu.URL())

	all, diags := list(t, ps, nil, false, 0)
	if diags != nil || len(all) != 3 || all[0].ID != cs[0].ID || all[1].ID != cs[1].ID || all[0].DisplayName != "acme" || all[0].Resource != nil {
		t.Fatalf("list all: %+v %s", all, acctest.RenderDiags(diags))
	}
	got, _ := list(t, ps, map[string]tftypes.Value{"name_regex": str("^acme$")}, true, 0)
	if len(got) != 2 {
		t.Fatalf("name_regex ^acme$: %+v", got)
	}
	r := got[0].Resource
	if acctest.Str(t, r["id"]) != cs[0].ID || acctest.Str(t, r["name"]) != "acme" || len(got[0].Diags) != 0 {
		t.Errorf("resource object of the first acme: %v %s", r, acctest.RenderDiags(got[0].Diags))
	}
	var budgets []tftypes.Value
	if err := r["budgets"].As(&budgets); err != nil || len(budgets) != 1 {
		t.Errorf("budgets of the first acme: %v (%v)", r["budgets"], err)
	}
	var rl map[string]tftypes.Value
	if err := r["rate_limit"].As(&rl); err != nil {
		t.Fatal(err)
	}
	var n big.Float
	if err := rl["token_max_limit"].As(&n); err != nil || n.String() != "100" {
		t.Errorf("rate_limit.token_max_limit = %v, want 100", rl["token_max_limit"])
	}
	if got, _ := list(t, ps, nil, false, 1); len(got) != 1 {
		t.Errorf("limit 1: %d results", len(got))
	}
	_, diags = list(t, ps, map[string]tftypes.Value{"name_regex": str("[")}, false, 0)
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "name_regex", []string{"Invalid regular expression", "missing closing ]"}, nil)
}

// TestAccCustomer_query lists customers with `terraform query` (Terraform
// ≥ 1.14; TestListResource_providerServer covers it on older CLIs).
func TestAccCustomer_query(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("customer-query")
		query := tg.ProviderConfig() + fmt.Sprintf(`
list "bifrost_customer" "test" {
  provider         = bifrost
  include_resource = true

  config {
    name_regex = %q
  }
}
`, "^"+regexp.QuoteMeta(name)+"$")
		resource.Test(t, resource.TestCase{
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{Config: customerConfig(tg, name, limits1)},
				{
					Query:  true,
					Config: query,
					QueryResultChecks: []querycheck.QueryResultCheck{
						querycheck.ExpectLength("bifrost_customer.test", 1),
						querycheck.ExpectResourceDisplayName("bifrost_customer.test",
							queryfilter.ByDisplayName(knownvalue.StringExact(name)), knownvalue.StringExact(name)),
					},
				},
			},
		})
	})
}
