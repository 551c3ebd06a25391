package team_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance/governancetest"
)

// The plan-time checks of bifrost_team, driven at the protocol level as
// Terraform drives them (validate, then plan), against an emulator: what a
// user sees (severity, attribute, text), whichever validator produces it.

const typeName = "bifrost_team"

var (
	str = governancetest.Str
	num = governancetest.Num
)

// plan is what Terraform reports at plan time for config, over prior (nil
// for a create).
func plan(t *testing.T, ps *acctest.ProtocolServer, config, prior map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	return ps.PlanDiags(t, typeName, config, prior, "id", "calendar_aligned")
}

func TestBadInputs_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	ctx := context.Background()
	taken, err := client.CreateTeam(ctx, bifrost.TeamCreate{Name: "taken"})
	if err != nil {
		t.Fatal(err)
	}
	ps := acctest.NewProtocolServer(t, emu.URL())
	s := governancetest.NewShape(t, ps, typeName)
	errSev, warnSev := tfprotov6.DiagnosticSeverityError, tfprotov6.DiagnosticSeverityWarning
	for _, tc := range []struct {
		name     string
		config   map[string]tftypes.Value
		prior    map[string]tftypes.Value
		severity tfprotov6.DiagnosticSeverity
		path     string
		want     []string
	}{
		{name: "empty name", config: map[string]tftypes.Value{"name": str("")}, severity: errSev,
			path: "name", want: []string{"Empty name", `name is "": Bifrost refuses a team without a name`}},
		{name: "empty customer_id", config: map[string]tftypes.Value{"name": str("t"), "customer_id": str("")}, severity: errSev,
			path: "customer_id", want: []string{"Empty customer_id", "To have no customer, remove customer_id"}},
		{name: "unknown customer", config: map[string]tftypes.Value{"name": str("t"), "customer_id": str("no-such-customer")}, severity: errSev,
			path: "customer_id", want: []string{"Customer not found", `has no customer with id "no-such-customer"`}},
		{name: "budget of 0", config: map[string]tftypes.Value{"name": str("t"), "budgets": s.Budgets(t, [2]any{0.0, "1d"})}, severity: errSev,
			path: "budgets" + acctest.SetElem + `\.max_limit`, want: []string{"Invalid budget max_limit", "max_limit is 0"}},
		{name: "bad reset duration", config: map[string]tftypes.Value{"name": str("t"), "budgets": s.Budgets(t, [2]any{10.0, "1x"})}, severity: errSev,
			path: "budgets" + acctest.SetElem + `\.reset_duration`, want: []string{"Invalid reset duration", `"1x" is not a duration Bifrost reads`}},
		{name: "duplicate reset duration", config: map[string]tftypes.Value{"name": str("t"), "budgets": s.Budgets(t, [2]any{10.0, "1d"}, [2]any{20.0, "1d"})}, severity: errSev,
			path: "budgets" + acctest.SetElem + `\.reset_duration`, want: []string{"Duplicate budget reset duration", `Two budgets have reset_duration "1d"`}},
		{name: "token limit without duration", config: map[string]tftypes.Value{"name": str("t"),
			"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"token_max_limit": num(100)})}, severity: errSev,
			path: `rate_limit\.token_reset_duration`, want: []string{"Missing rate limit reset duration", "token_max_limit is 100 but token_reset_duration is not set"}},
		{name: "empty rate limit", config: map[string]tftypes.Value{"name": str("t"), "rate_limit": s.RateLimit(t, nil)}, severity: errSev,
			path: "rate_limit", want: []string{"Empty rate limit", "rate_limit sets no limit"}},
		{name: "request limit of 0", config: map[string]tftypes.Value{"name": str("t"),
			"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"request_max_limit": num(0), "request_reset_duration": str("1m")})}, severity: errSev,
			path: `rate_limit\.request_max_limit`, want: []string{"Invalid rate limit", "request_max_limit is 0"}},
		{name: "rename to a taken name", config: map[string]tftypes.Value{"name": str("taken")},
			prior:    map[string]tftypes.Value{"id": str("some-other-id"), "name": str("mine"), "calendar_aligned": tftypes.NewValue(tftypes.Bool, false)},
			severity: errSev, path: "name", want: []string{"Team name already taken", `already has a team named "taken" (id ` + taken.ID + ")", `terraform import bifrost_team.<name> "name=taken"`}},
		{name: "create with a taken name", config: map[string]tftypes.Value{"name": str("taken")}, severity: warnSev,
			path: "name", want: []string{"Team name already taken", "Unless this plan replaces that team, creating this one will fail"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acctest.ExpectOneDiagOn(t, plan(t, ps, tc.config, tc.prior), tc.severity, tc.path, tc.want...)
		})
	}
	// What passes: no diagnostics at all.
	if diags := plan(t, ps, map[string]tftypes.Value{"name": str("free"), "budgets": s.Budgets(t, [2]any{1.5, "1.5d"}, [2]any{2.0, "1M"}),
		"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"token_max_limit": num(1), "token_reset_duration": str("30s")})}, nil); len(diags) != 0 {
		t.Errorf("a valid team got diagnostics:%s", acctest.RenderDiags(diags))
	}
}
