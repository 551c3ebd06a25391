package customer_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The plan-time checks of bifrost_customer, driven at the protocol level as
// Terraform drives them (validate, then plan), against an emulator: what a
// user sees (severity, attribute, text), whichever validator produces it.

const typeName = "bifrost_customer"

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
		merged := map[string]tftypes.Value{"id": prior["id"]}
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
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			opts := emulator.Options{Version: version}
			if version != "v1.5.1" {
				opts.SetupToken = "setup-token-0123456789"
			}
			emu, err := emulator.Start(opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(emu.Close)
			attrs := map[string]tftypes.Value{"endpoint": str(emu.URL())}
			if opts.SetupToken != "" {
				attrs["setup_token"] = str(opts.SetupToken)
			}
			ps, diags := acctest.ConfigureProtocolServer(t, attrs)
			if acctest.HasErrors(diags) {
				t.Fatal(acctest.Diags(diags))
			}
			s := newShape(t, ps)
			errSev := tfprotov6.DiagnosticSeverityError
			two := map[string]tftypes.Value{"name": str("c"), "budgets": s.budgets(t, [2]any{10.0, "1d"}, [2]any{20.0, "1M"})}
			if version != "v1.5.1" {
				if diags := plan(t, ps, two, nil); len(diags) != 0 {
					t.Errorf("two budgets on %s got diagnostics:%s", version, acctest.RenderDiags(diags))
				}
				return
			}
			for _, tc := range []struct {
				name   string
				config map[string]tftypes.Value
				prior  map[string]tftypes.Value
				path   string
				want   []string
			}{
				{name: "empty name", config: map[string]tftypes.Value{"name": str("")},
					path: "name", want: []string{"Empty name", `name is "": Bifrost refuses a customer without a name`}},
				{name: "two budgets on v1.5.1", config: two,
					path: "budgets", want: []string{"Several customer budgets need Bifrost ≥ 2.0", "budgets has 2 budgets", "runs Bifrost v1.5.1", "one budget per customer"}},
				{name: "two budgets on v1.5.1, update", config: two,
					prior: map[string]tftypes.Value{"id": str("c-1"), "name": str("c")},
					path:  "budgets", want: []string{"Several customer budgets need Bifrost ≥ 2.0", "runs Bifrost v1.5.1"}},
				{name: "negative budget", config: map[string]tftypes.Value{"name": str("c"), "budgets": s.budgets(t, [2]any{-1.0, "1d"})},
					path: "budgets" + set + `\.max_limit`, want: []string{"Invalid budget max_limit", "max_limit is -1"}},
				{name: "zero reset duration", config: map[string]tftypes.Value{"name": str("c"), "budgets": s.budgets(t, [2]any{1.0, "0d"})},
					path: "budgets" + set + `\.reset_duration`, want: []string{"Invalid reset duration", `"0d" is 0s`}},
				{name: "words as a duration", config: map[string]tftypes.Value{"name": str("c"), "budgets": s.budgets(t, [2]any{1.0, "monthly"})},
					path: "budgets" + set + `\.reset_duration`, want: []string{`"monthly" is not a duration Bifrost reads`}},
				{name: "request duration without its limit", config: map[string]tftypes.Value{"name": str("c"),
					"rate_limit": s.rateLimit(t, map[string]tftypes.Value{"request_reset_duration": str("1h")})},
					path: `rate_limit\.request_max_limit`, want: []string{"Missing rate limit max limit", `request_reset_duration is "1h" but request_max_limit is not set`}},
				{name: "negative token limit", config: map[string]tftypes.Value{"name": str("c"),
					"rate_limit": s.rateLimit(t, map[string]tftypes.Value{"token_max_limit": num(-5), "token_reset_duration": str("1h")})},
					path: `rate_limit\.token_max_limit`, want: []string{"Invalid rate limit", "token_max_limit is -5"}},
				{name: "bad rate limit duration", config: map[string]tftypes.Value{"name": str("c"),
					"rate_limit": s.rateLimit(t, map[string]tftypes.Value{"token_max_limit": num(5), "token_reset_duration": str("1y")})},
					path: `rate_limit\.token_reset_duration`, want: []string{"Invalid reset duration", "lower-case m is minutes"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					expectOne(t, plan(t, ps, tc.config, tc.prior), errSev, tc.path, tc.want...)
				})
			}
		})
	}
}
