package team_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The plan-time checks of bifrost_team, driven at the protocol level as
// Terraform drives them (validate, then plan), against an emulator: what a
// user sees (severity, attribute, text), whichever validator produces it.

const typeName = "bifrost_team"

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func num(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, f) }

type shape struct {
	typ tftypes.Object
}

func newShape(t *testing.T, ps *acctest.ProtocolServer) shape {
	t.Helper()
	typ, ok := ps.ResourceType(typeName).(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object", ps.ResourceType(typeName))
	}
	return shape{typ: typ}
}

func (s shape) budgets(t *testing.T, budgets ...[2]any) tftypes.Value {
	t.Helper()
	st, ok := s.typ.AttributeTypes["budgets"].(tftypes.Set)
	if !ok {
		t.Fatal("budgets is not a set")
	}
	var elems []tftypes.Value
	for _, b := range budgets {
		elems = append(elems, acctest.ObjectValue(t, st.ElementType, map[string]tftypes.Value{
			"max_limit": num(b[0].(float64)), "reset_duration": str(b[1].(string)),
		}))
	}
	return tftypes.NewValue(st, elems)
}

func (s shape) rateLimit(t *testing.T, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	return acctest.ObjectValue(t, s.typ.AttributeTypes["rate_limit"], attrs)
}

// plan is what Terraform reports at plan time for config: the diagnostics
// of ValidateResourceConfig and, when it found no error, those of
// PlanResourceChange over prior (nil for a create).
func plan(t *testing.T, ps *acctest.ProtocolServer, config, prior map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	typ := ps.ResourceType(typeName)
	cfg := ps.Value(t, typ, config)
	v, err := ps.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	if acctest.HasErrors(v.Diagnostics) {
		return v.Diagnostics
	}
	priorState, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	proposed := cfg
	if prior != nil {
		priorState = ps.Value(t, typ, prior)
		merged := map[string]tftypes.Value{"id": prior["id"], "calendar_aligned": prior["calendar_aligned"]}
		for n, val := range config {
			merged[n] = val
		}
		proposed = ps.Value(t, typ, merged)
	}
	p, err := ps.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, Config: &cfg, PriorState: &priorState, ProposedNewState: &proposed,
	})
	if err != nil {
		t.Fatal(err)
	}
	return append(v.Diagnostics, p.Diagnostics...)
}

// expectOne checks that diags are one diagnostic of severity, on a path
// matching pathRE, saying every string of want.
func expectOne(t *testing.T, diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, pathRE string, want ...string) {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity != severity {
		t.Fatalf("want exactly one %s, got %d diagnostics:%s", severity, len(diags), acctest.RenderDiags(diags))
	}
	if got := acctest.AttrPath(diags[0].Attribute); !regexp.MustCompile(`^` + pathRE + `$`).MatchString(got) {
		t.Errorf("%s on %q, want on %s", severity, got, pathRE)
	}
	text := diags[0].Summary + ": " + diags[0].Detail
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the %s does not say %q:\n%s", severity, w, text)
		}
	}
}

// set is the path of an element of a set attribute.
const set = `\[.*\]`

func TestBadInputs_providerServer(t *testing.T) {
	emu, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	client, err := bifrost.New(bifrost.Config{Endpoint: emu.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	taken, err := client.CreateTeam(ctx, bifrost.TeamCreate{Name: "taken"})
	if err != nil {
		t.Fatal(err)
	}
	ps := acctest.NewProtocolServer(t, emu.URL())
	s := newShape(t, ps)
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
		{name: "budget of 0", config: map[string]tftypes.Value{"name": str("t"), "budgets": s.budgets(t, [2]any{0.0, "1d"})}, severity: errSev,
			path: "budgets" + set + `\.max_limit`, want: []string{"Invalid budget max_limit", "max_limit is 0"}},
		{name: "bad reset duration", config: map[string]tftypes.Value{"name": str("t"), "budgets": s.budgets(t, [2]any{10.0, "1x"})}, severity: errSev,
			path: "budgets" + set + `\.reset_duration`, want: []string{"Invalid reset duration", `"1x" is not a duration Bifrost reads`}},
		{name: "duplicate reset duration", config: map[string]tftypes.Value{"name": str("t"), "budgets": s.budgets(t, [2]any{10.0, "1d"}, [2]any{20.0, "1d"})}, severity: errSev,
			path: "budgets" + set + `\.reset_duration`, want: []string{"Duplicate budget reset duration", `Two budgets have reset_duration "1d"`}},
		{name: "token limit without duration", config: map[string]tftypes.Value{"name": str("t"),
			"rate_limit": s.rateLimit(t, map[string]tftypes.Value{"token_max_limit": num(100)})}, severity: errSev,
			path: `rate_limit\.token_reset_duration`, want: []string{"Missing rate limit reset duration", "token_max_limit is 100 but token_reset_duration is not set"}},
		{name: "empty rate limit", config: map[string]tftypes.Value{"name": str("t"), "rate_limit": s.rateLimit(t, nil)}, severity: errSev,
			path: "rate_limit", want: []string{"Empty rate limit", "rate_limit sets no limit"}},
		{name: "request limit of 0", config: map[string]tftypes.Value{"name": str("t"),
			"rate_limit": s.rateLimit(t, map[string]tftypes.Value{"request_max_limit": num(0), "request_reset_duration": str("1m")})}, severity: errSev,
			path: `rate_limit\.request_max_limit`, want: []string{"Invalid rate limit", "request_max_limit is 0"}},
		{name: "rename to a taken name", config: map[string]tftypes.Value{"name": str("taken")},
			prior:    map[string]tftypes.Value{"id": str("some-other-id"), "name": str("mine"), "calendar_aligned": tftypes.NewValue(tftypes.Bool, false)},
			severity: errSev, path: "name", want: []string{"Team name already taken", `already has a team named "taken" (id ` + taken.ID + ")", `terraform import bifrost_team.<name> "name=taken"`}},
		{name: "create with a taken name", config: map[string]tftypes.Value{"name": str("taken")}, severity: warnSev,
			path: "name", want: []string{"Team name already taken", "Unless this plan replaces that team, creating this one will fail"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectOne(t, plan(t, ps, tc.config, tc.prior), tc.severity, tc.path, tc.want...)
		})
	}
	// What passes: no diagnostics at all.
	if diags := plan(t, ps, map[string]tftypes.Value{"name": str("free"), "budgets": s.budgets(t, [2]any{1.5, "1.5d"}, [2]any{2.0, "1M"}),
		"rate_limit": s.rateLimit(t, map[string]tftypes.Value{"token_max_limit": num(1), "token_reset_duration": str("30s")})}, nil); len(diags) != 0 {
		t.Errorf("a valid team got diagnostics:%s", acctest.RenderDiags(diags))
	}
}
