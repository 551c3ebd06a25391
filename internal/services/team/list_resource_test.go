package team_test

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

// list lists teams through the provider server (see acctest.ListResource).
func list(t *testing.T, ps *acctest.ProtocolServer, attrs map[string]tftypes.Value, includeResource bool, limit int64) ([]acctest.Listed, []*tfprotov6.Diagnostic) {
	t.Helper()
	return ps.ListResource(t, typeName, attrs, includeResource, limit)
}

// TestListResource_providerServer lists teams with each filter, with and
// without the resource objects, and with a limit.
func TestListResource_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	ctx := context.Background()
	cu, err := client.CreateCustomer(ctx, bifrost.CustomerCreate{Name: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	tok, dur := int64(100), "1h"
	var teams []*bifrost.Team
	for _, in := range []bifrost.TeamCreate{
		{Name: "platform", CustomerID: cu.ID, Budgets: []bifrost.BudgetRequest{{MaxLimit: 50, ResetDuration: "1d"}},
			RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: &tok, TokenResetDuration: &dur}},
		{Name: "research"},
		{Name: "platform-2"},
	} {
		tm, err := client.CreateTeam(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		teams = append(teams, tm)
	}
	ps := acctest.NewProtocolServer(t, emu.URL())

	all, diags := list(t, ps, nil, false, 0)
	if diags != nil || len(all) != 3 || all[0].ID != teams[0].ID || all[0].DisplayName != "platform" || all[0].Resource != nil {
		t.Fatalf("list all: %+v %s", all, acctest.RenderDiags(diags))
	}
	got, _ := list(t, ps, map[string]tftypes.Value{"name_regex": str("^platform")}, true, 0)
	if len(got) != 2 || got[1].DisplayName != "platform-2" {
		t.Fatalf("name_regex ^platform: %+v", got)
	}
	r := got[0].Resource
	if acctest.Str(t, r["id"]) != teams[0].ID || acctest.Str(t, r["customer_id"]) != cu.ID || len(got[0].Diags) != 0 {
		t.Errorf("resource object of platform: %v %s", r, acctest.RenderDiags(got[0].Diags))
	}
	var rl map[string]tftypes.Value
	if err := r["rate_limit"].As(&rl); err != nil {
		t.Fatal(err)
	}
	var n big.Float
	if err := rl["token_max_limit"].As(&n); err != nil || n.String() != "100" {
		t.Errorf("rate_limit.token_max_limit = %v, want 100", rl["token_max_limit"])
	}
	if got, _ := list(t, ps, map[string]tftypes.Value{"customer_id": str(cu.ID)}, false, 0); len(got) != 1 || got[0].ID != teams[0].ID {
		t.Errorf("customer_id filter: %+v", got)
	}
	if got, _ := list(t, ps, nil, false, 2); len(got) != 2 {
		t.Errorf("limit 2: %d results", len(got))
	}
	_, diags = list(t, ps, map[string]tftypes.Value{"name_regex": str("(")}, false, 0)
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "name_regex", []string{"Invalid regular expression", "missing closing )"}, nil)
}

// TestAccTeam_query lists teams with `terraform query` (Terraform ≥ 1.14;
// TestListResource_providerServer covers it on older CLIs).
func TestAccTeam_query(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		prefix := acctest.Name("team-query")
		query := tg.ProviderConfig() + fmt.Sprintf(`
list "bifrost_team" "test" {
  provider         = bifrost
  include_resource = true

  config {
    name_regex = %q
  }
}
`, "^"+regexp.QuoteMeta(prefix)+"-")
		resource.Test(t, resource.TestCase{
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{Config: teamConfig(tg, prefix, prefix+"-t", limitsV1)},
				{
					Query:  true,
					Config: query,
					QueryResultChecks: []querycheck.QueryResultCheck{
						querycheck.ExpectLength("bifrost_team.test", 1),
						querycheck.ExpectResourceDisplayName("bifrost_team.test",
							queryfilter.ByDisplayName(knownvalue.StringExact(prefix+"-t")), knownvalue.StringExact(prefix+"-t")),
					},
				},
			},
		})
	})
}
