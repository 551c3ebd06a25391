package limits_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

func TestParseDurationAsBifrost(t *testing.T) {
	day := 24 * time.Hour
	for in, want := range map[string]time.Duration{
		"30s": 30 * time.Second, "5m": 5 * time.Minute, "1h30m": 90 * time.Minute, "1h": time.Hour,
		"1d": day, "1.5d": 36 * time.Hour, "2w": 14 * day, "1M": 30 * day, "1Y": 365 * day, "0.5Y": 365 * day / 2,
		"0": 0, "-1d": -day, "0d": 0,
		// Bifrost reads the number part as hours whatever it holds.
		"1m30d": (30*time.Hour + time.Minute) * 24,
	} {
		got, err := limits.ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1x", "d", "1", "monthly", "1 d", "1D", "1y", "1hd", "P1D"} {
		if d, err := limits.ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, d)
		}
	}
	for in, want := range map[string]bool{"1d": true, "0": false, "-5m": false, "0d": false, "1x": false, "1M": true} {
		if got := limits.ValidDuration(in); got != want {
			t.Errorf("ValidDuration(%q) = %v", in, got)
		}
	}
}

var root = path.Root("rate_limit")

// diagAt renders diagnostics as "path: summary: detail" lines.
func diagAt(diags diag.Diagnostics) string {
	var out []string
	for _, d := range diags {
		p := ""
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			p = wp.Path().String()
		}
		out = append(out, p+": "+d.Summary()+": "+d.Detail())
	}
	return strings.Join(out, "\n")
}

func TestDurationValidator(t *testing.T) {
	p := path.Root("budgets").AtName("reset_duration")
	for _, tc := range []struct {
		in   types.String
		want string // "" for no diagnostic; else a fragment of the one line
	}{
		{types.StringValue("1d"), ""},
		{types.StringValue("1.5d"), ""},
		{types.StringValue("1h30m"), ""},
		{types.StringValue("1M"), ""},
		{types.StringNull(), ""},
		{types.StringUnknown(), ""},
		{types.StringValue("1x"), `budgets.reset_duration: Invalid reset duration: "1x" is not a duration Bifrost reads`},
		{types.StringValue("monthly"), `"monthly" is not a duration Bifrost reads`},
		{types.StringValue("1y"), `lower-case m is minutes`},
		{types.StringValue("0d"), `budgets.reset_duration: Invalid reset duration: "0d" is 0s: Bifrost needs a reset duration greater than 0`},
		{types.StringValue("-1h"), `"-1h" is -1h0m0s`},
	} {
		var resp validator.StringResponse
		limits.Duration().ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: tc.in}, &resp)
		check(t, tc.in.String(), resp.Diagnostics, tc.want)
	}
}

func check(t *testing.T, name string, diags diag.Diagnostics, want string) {
	t.Helper()
	got := diagAt(diags)
	switch {
	case want == "" && len(diags) != 0:
		t.Errorf("%s: unexpected diagnostics:\n%s", name, got)
	case want != "" && (len(diags) != 1 || !strings.Contains(got, want)):
		t.Errorf("%s: diagnostics\n%s\nwant one containing %q", name, got, want)
	}
}

func TestMaxLimitValidators(t *testing.T) {
	p := path.Root("budget").AtName("max_limit")
	for _, tc := range []struct {
		in   types.Float64
		want string
	}{
		{types.Float64Value(100), ""},
		{types.Float64Value(0.01), ""},
		{types.Float64Null(), ""},
		{types.Float64Value(0), "budget.max_limit: Invalid budget max_limit: max_limit is 0: a budget's max_limit is an amount in dollars greater than 0"},
		{types.Float64Value(-1.5), "max_limit is -1.5"},
	} {
		var resp validator.Float64Response
		limits.PositiveMaxLimit().ValidateFloat64(context.Background(), validator.Float64Request{Path: p, ConfigValue: tc.in}, &resp)
		check(t, tc.in.String(), resp.Diagnostics, tc.want)
	}
	for _, tc := range []struct {
		in   types.Int64
		want string
	}{
		{types.Int64Value(1), ""},
		{types.Int64Unknown(), ""},
		{types.Int64Value(0), "rate_limit.token_max_limit: Invalid rate limit: token_max_limit is 0: a rate limit's max limit is a whole number greater than 0"},
		{types.Int64Value(-3), "token_max_limit is -3"},
	} {
		var resp validator.Int64Response
		limits.PositiveLimit().ValidateInt64(context.Background(), validator.Int64Request{Path: root.AtName("token_max_limit"), ConfigValue: tc.in}, &resp)
		check(t, tc.in.String(), resp.Diagnostics, tc.want)
	}
}

func rateLimit(tm attr.Value, td attr.Value, rm attr.Value, rd attr.Value) types.Object {
	return types.ObjectValueMust(limits.RateLimitAttrTypes(), map[string]attr.Value{
		"token_max_limit": tm, "token_reset_duration": td, "request_max_limit": rm, "request_reset_duration": rd,
	})
}

func TestRateLimitPairsValidator(t *testing.T) {
	i, s := types.Int64Value, types.StringValue
	ni, ns := types.Int64Null(), types.StringNull()
	for _, tc := range []struct {
		name string
		in   types.Object
		want string
	}{
		{"token pair", rateLimit(i(1000), s("1h"), ni, ns), ""},
		{"both pairs", rateLimit(i(1000), s("1h"), i(10), s("1m")), ""},
		{"null", types.ObjectNull(limits.RateLimitAttrTypes()), ""},
		{"unknown duration", rateLimit(i(5), types.StringUnknown(), ni, ns), ""},
		{"token without duration", rateLimit(i(5), ns, ni, ns),
			`rate_limit.token_reset_duration: Missing rate limit reset duration: token_max_limit is 5 but token_reset_duration is not set`},
		{"request duration without max", rateLimit(ni, ns, ni, s("1h")),
			`rate_limit.request_max_limit: Missing rate limit max limit: request_reset_duration is "1h" but request_max_limit is not set`},
		{"empty", rateLimit(ni, ns, ni, ns), `rate_limit: Empty rate limit: rate_limit sets no limit`},
	} {
		var resp validator.ObjectResponse
		limits.RateLimitPairs().ValidateObject(context.Background(), validator.ObjectRequest{Path: root, ConfigValue: tc.in}, &resp)
		check(t, tc.name, resp.Diagnostics, tc.want)
	}
}

func budgets(t *testing.T, pairs ...any) types.Set {
	t.Helper()
	var elems []attr.Value
	for i := 0; i < len(pairs); i += 2 {
		elems = append(elems, types.ObjectValueMust(limits.BudgetAttrTypes(), map[string]attr.Value{
			"max_limit": types.Float64Value(pairs[i].(float64)), "reset_duration": types.StringValue(pairs[i+1].(string)),
		}))
	}
	return types.SetValueMust(limits.BudgetType(), elems)
}

func TestUniqueResetDurations(t *testing.T) {
	p := path.Root("budgets")
	for _, tc := range []struct {
		name string
		in   types.Set
		want string
	}{
		{"distinct", budgets(t, 100.0, "1M", 10.0, "1d"), ""},
		{"null", types.SetNull(limits.BudgetType()), ""},
		{"duplicate", budgets(t, 100.0, "1M", 10.0, "1M"), `Duplicate budget reset duration: Two budgets have reset_duration "1M"`},
	} {
		var resp validator.SetResponse
		limits.UniqueResetDurations().ValidateSet(context.Background(), validator.SetRequest{Path: p, ConfigValue: tc.in}, &resp)
		check(t, tc.name, resp.Diagnostics, tc.want)
		if tc.want != "" && !strings.Contains(diagAt(resp.Diagnostics), "budgets[Value({") {
			t.Errorf("%s: the diagnostic does not name the budget: %s", tc.name, diagAt(resp.Diagnostics))
		}
	}
}

func TestExpandFlattenRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := budgets(t, 100.0, "1M", 10.5, "1d")
	aligned := true
	reqs, diags := limits.ExpandBudgets(ctx, in, &aligned)
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := []bifrost.BudgetRequest{{MaxLimit: 100, ResetDuration: "1M", CalendarAligned: &aligned}, {MaxLimit: 10.5, ResetDuration: "1d", CalendarAligned: &aligned}}
	if !reflect.DeepEqual(reqs, want) {
		t.Errorf("expanded %+v", reqs)
	}
	// The server answers with ids and usage; state keeps neither.
	stored := []bifrost.Budget{{ID: "a", MaxLimit: 100, ResetDuration: "1M", CurrentUsage: 3.2, LastReset: "2026-12-02T16:53:23Z"},
		{ID: "b", MaxLimit: 10.5, ResetDuration: "1d", CurrentUsage: 1}}
	out, diags := limits.FlattenBudgets(stored, types.SetNull(limits.BudgetType()))
	if diags.HasError() || !out.Equal(in) {
		t.Errorf("flattened %s, want %s (%v)", out, in, diags)
	}
	// None: null, or [] as written.
	if out, _ := limits.FlattenBudgets(nil, types.SetNull(limits.BudgetType())); !out.IsNull() {
		t.Errorf("no budgets: %s", out)
	}
	empty := types.SetValueMust(limits.BudgetType(), nil)
	if out, _ := limits.FlattenBudgets(nil, empty); out.IsNull() || len(out.Elements()) != 0 {
		t.Errorf("budgets = []: %s", out)
	}
	if upd, _ := limits.ExpandBudgetsUpdate(ctx, types.SetNull(limits.BudgetType()), nil); upd == nil || len(*upd) != 0 {
		t.Errorf("removing every budget: %v", upd)
	}

	rl := rateLimit(types.Int64Value(1000), types.StringValue("1h"), types.Int64Null(), types.StringNull())
	req, diags := limits.ExpandRateLimit(ctx, rl)
	if diags.HasError() || *req.TokenMaxLimit != 1000 || *req.TokenResetDuration != "1h" || req.RequestMaxLimit != nil || req.RequestResetDuration != nil {
		t.Fatalf("expanded rate limit %+v %v", req, diags)
	}
	back, diags := limits.FlattenRateLimit(&bifrost.RateLimit{ID: "r", TokenMaxLimit: req.TokenMaxLimit, TokenResetDuration: req.TokenResetDuration, TokenCurrentUsage: 77})
	if diags.HasError() || !back.Equal(rl) {
		t.Errorf("flattened rate limit %s, want %s", back, rl)
	}
	if back, _ := limits.FlattenRateLimit(&bifrost.RateLimit{ID: "r"}); !back.IsNull() {
		t.Errorf("a rate limit without limits: %s", back)
	}
	null := types.ObjectNull(limits.RateLimitAttrTypes())
	if r, _ := limits.ExpandRateLimitUpdate(ctx, null, true); r == nil || *r != (bifrost.RateLimitRequest{}) {
		t.Errorf("removal: %+v", r)
	}
	if r, _ := limits.ExpandRateLimitUpdate(ctx, null, false); r != nil {
		t.Errorf("nothing to remove: %+v", r)
	}

	one := types.ObjectValueMust(limits.BudgetAttrTypes(), map[string]attr.Value{"max_limit": types.Float64Value(1000), "reset_duration": types.StringValue("1M")})
	oneSet := types.SetValueMust(limits.BudgetType(), []attr.Value{one})
	noneSet := types.SetNull(limits.BudgetType())
	// v1.5.1 takes a single budget, v2 the list.
	several, b, _ := limits.ExpandVersionedBudgets(ctx, oneSet, false)
	if several != nil || b == nil {
		t.Fatalf("v1.5.1 create: list %v, budget %v", several, b)
	}
	if fb, _ := limits.FlattenBudget(&bifrost.Budget{MaxLimit: b.MaxLimit, ResetDuration: b.ResetDuration, CurrentUsage: 9}); !fb.Equal(one) {
		t.Errorf("single budget: %s", fb)
	}
	if list, b, _ := limits.ExpandVersionedBudgets(ctx, oneSet, true); len(list) != 1 || b != nil {
		t.Errorf("v2 create: list %v, budget %v", list, b)
	}
	if _, p, _ := limits.ExpandVersionedBudgetsUpdate(ctx, oneSet, noneSet, false); p == nil || p.MaxLimit == nil || *p.MaxLimit != 1000 || *p.ResetDuration != "1M" {
		t.Errorf("budget patch: %+v", p)
	}
	if _, p, _ := limits.ExpandVersionedBudgetsUpdate(ctx, noneSet, oneSet, false); p == nil || p.MaxLimit != nil || p.ResetDuration != nil {
		t.Errorf("budget removal patch: %+v", p)
	}
	if _, p, _ := limits.ExpandVersionedBudgetsUpdate(ctx, noneSet, noneSet, false); p != nil {
		t.Errorf("no budget either side: %+v", p)
	}
	if l, p, _ := limits.ExpandVersionedBudgetsUpdate(ctx, noneSet, oneSet, true); l == nil || len(*l) != 0 || p != nil {
		t.Errorf("v2 removal: list %v, patch %v", l, p)
	}

	// Data sources show usage.
	list, diags := limits.FlattenBudgetsUsage(stored)
	if diags.HasError() || len(list.Elements()) != 2 {
		t.Fatal(diags)
	}
	var usage []limits.BudgetUsageModel
	if d := list.ElementsAs(ctx, &usage, false); d.HasError() {
		t.Fatal(d)
	}
	if usage[0].ID.ValueString() != "a" || usage[0].CurrentUsage.ValueFloat64() != 3.2 || usage[0].LastReset.ValueString() != "2026-12-02T16:53:23Z" || !usage[1].LastReset.IsNull() {
		t.Errorf("usage %+v", usage)
	}
	ru, diags := limits.FlattenRateLimitUsage(&bifrost.RateLimit{ID: "r", RequestMaxLimit: req.TokenMaxLimit, RequestResetDuration: req.TokenResetDuration, RequestCurrentUsage: 4})
	var rum limits.RateLimitUsageModel
	if d := ru.As(ctx, &rum, basetypes.ObjectAsOptions{}); diags.HasError() || d.HasError() || rum.RequestCurrentUsage.ValueInt64() != 4 || !rum.TokenMaxLimit.IsNull() {
		t.Errorf("rate limit usage %+v", rum)
	}
}

// The schema builders give well-formed attributes, with their validators,
// whose types are the models'.
func TestSchemaBuilders(t *testing.T) {
	ctx := context.Background()
	rs := schema.Schema{Attributes: map[string]schema.Attribute{
		"budgets":    limits.BudgetsAttribute("Budgets."),
		"budget":     limits.BudgetAttribute("Budget."),
		"rate_limit": limits.RateLimitAttribute("Rate limit."),
	}}
	if d := rs.ValidateImplementation(ctx); d.HasError() {
		t.Fatal(d)
	}
	if got := rs.Attributes["budgets"].GetType(); !got.Equal(types.SetType{ElemType: limits.BudgetType()}) {
		t.Errorf("budgets type %s", got)
	}
	if got := rs.Attributes["rate_limit"].GetType(); !got.Equal(types.ObjectType{AttrTypes: limits.RateLimitAttrTypes()}) {
		t.Errorf("rate_limit type %s", got)
	}
	if len(limits.BudgetsAttribute("").Validators) != 1 || len(limits.RateLimitAttribute("").Validators) != 1 {
		t.Error("validators missing")
	}
	ds := dschema.Schema{Attributes: map[string]dschema.Attribute{
		"budgets":    limits.DataSourceBudgetsAttribute("Budgets."),
		"rate_limit": limits.DataSourceRateLimitAttribute("Rate limit."),
	}}
	if d := ds.ValidateImplementation(ctx); d.HasError() {
		t.Fatal(d)
	}
	if got := ds.Attributes["budgets"].GetType(); !got.Equal(types.ListType{ElemType: limits.BudgetUsageType()}) {
		t.Errorf("data source budgets type %s", got)
	}
	if got := ds.Attributes["rate_limit"].GetType(); !got.Equal(types.ObjectType{AttrTypes: limits.RateLimitUsageAttrTypes()}) {
		t.Errorf("data source rate_limit type %s", got)
	}
}
