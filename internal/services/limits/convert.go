package limits

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

var objectAsOptions = basetypes.ObjectAsOptions{}

// ExpandBudgets is the budgets of a create: nil for a null or unknown set,
// sorted by reset_duration. calendarAligned, when not nil, is put on each
// budget (v1.5.1 honours it on team budgets only; elsewhere the owner's
// flag governs).
func ExpandBudgets(ctx context.Context, set types.Set, calendarAligned *bool) ([]bifrost.BudgetRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	if set.IsNull() || set.IsUnknown() {
		return nil, diags
	}
	var models []BudgetModel
	diags.Append(set.ElementsAs(ctx, &models, false)...)
	if diags.HasError() {
		return nil, diags
	}
	out := make([]bifrost.BudgetRequest, 0, len(models))
	for _, m := range models {
		b := bifrost.BudgetRequest{MaxLimit: m.MaxLimit.ValueFloat64(), ResetDuration: m.ResetDuration.ValueString()}
		if calendarAligned != nil {
			aligned := *calendarAligned
			b.CalendarAligned = &aligned
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ResetDuration < out[j].ResetDuration })
	return out, diags
}

// ExpandBudgetsUpdate is the budgets of an update of an owner whose budgets
// the resource manages: always a list (the whole desired set), so that a
// budget removed from the configuration is deleted and one whose
// reset_duration stays keeps its usage. A null set gives [] (delete all).
func ExpandBudgetsUpdate(ctx context.Context, set types.Set, calendarAligned *bool) (*[]bifrost.BudgetRequest, diag.Diagnostics) {
	list, diags := ExpandBudgets(ctx, set, calendarAligned)
	if list == nil {
		list = []bifrost.BudgetRequest{}
	}
	return &list, diags
}

// ExpandVersionedBudgets is the budgets of the create of an owner that
// Bifrost v2 gives a list of budgets and v1.5.1 one (customers, model
// configs, provider governance): the list on v2, else the first budget
// (ModifyPlan refuses more), nil for none.
func ExpandVersionedBudgets(ctx context.Context, set types.Set, v2 bool) ([]bifrost.BudgetRequest, *bifrost.BudgetRequest, diag.Diagnostics) {
	budgets, diags := ExpandBudgets(ctx, set, nil)
	switch {
	case v2:
		return budgets, nil, diags
	case len(budgets) > 0:
		return nil, &budgets[0], diags
	}
	return nil, nil, diags
}

// ExpandVersionedBudgetsUpdate is the update of such an owner's budgets to
// set over prior: v2 the whole list (see ExpandBudgetsUpdate); v1.5.1 the
// one budget patched with both fields (so that it keeps its id and usage),
// {} to remove the one prior had, nil when neither has one.
func ExpandVersionedBudgetsUpdate(ctx context.Context, set, prior types.Set, v2 bool) (*[]bifrost.BudgetRequest, *bifrost.BudgetPatch, diag.Diagnostics) {
	if v2 {
		list, diags := ExpandBudgetsUpdate(ctx, set, nil)
		return list, nil, diags
	}
	budgets, diags := ExpandBudgets(ctx, set, nil)
	switch {
	case len(budgets) > 0:
		return nil, &bifrost.BudgetPatch{MaxLimit: &budgets[0].MaxLimit, ResetDuration: &budgets[0].ResetDuration}, diags
	case !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) > 0:
		return nil, &bifrost.BudgetPatch{}, diags
	}
	return nil, nil, diags
}

// ExpandRateLimit is the rate limit of a create: nil when null.
func ExpandRateLimit(ctx context.Context, obj types.Object) (*bifrost.RateLimitRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	if obj.IsNull() || obj.IsUnknown() {
		return nil, diags
	}
	var m RateLimitModel
	diags.Append(obj.As(ctx, &m, objectAsOptions)...)
	if diags.HasError() {
		return nil, diags
	}
	return &bifrost.RateLimitRequest{
		TokenMaxLimit: m.TokenMaxLimit.ValueInt64Pointer(), TokenResetDuration: m.TokenResetDuration.ValueStringPointer(),
		RequestMaxLimit: m.RequestMaxLimit.ValueInt64Pointer(), RequestResetDuration: m.RequestResetDuration.ValueStringPointer(),
	}, diags
}

// ExpandRateLimitUpdate is the rate limit of an update: the configured one,
// or {} (remove) when the configuration has none but the server has one
// (hadOne), or nil (leave it) when neither has one.
//
// On a virtual key (and its provider configs) the server updates a rate
// limit per field, so a half dropped from the configuration would stay:
// check bifrost.DropsAHalf and, when it does, send RemoveRateLimit() first
// and the new rate limit in a second update (its usage restarts).
func ExpandRateLimitUpdate(ctx context.Context, obj types.Object, hadOne bool) (*bifrost.RateLimitRequest, diag.Diagnostics) {
	r, diags := ExpandRateLimit(ctx, obj)
	if r == nil && hadOne && !obj.IsUnknown() {
		return bifrost.RemoveRateLimit(), diags
	}
	return r, diags
}

// FlattenBudgets is the budgets of a resource's state, without usage. No
// budgets give a null set, or an empty one when prior (the configuration
// or the prior state) is an empty set, so that `budgets = []` stays as
// written.
func FlattenBudgets(budgets []bifrost.Budget, prior types.Set) (types.Set, diag.Diagnostics) {
	var diags diag.Diagnostics
	if len(budgets) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			v, d := types.SetValue(BudgetType(), []attr.Value{})
			diags.Append(d...)
			return v, diags
		}
		return types.SetNull(BudgetType()), diags
	}
	elems := make([]attr.Value, 0, len(budgets))
	for _, b := range budgets {
		o, d := FlattenBudget(&b)
		diags.Append(d...)
		elems = append(elems, o)
	}
	v, d := types.SetValue(BudgetType(), elems)
	diags.Append(d...)
	return v, diags
}

// FlattenBudget is a single budget without usage: null when b is nil.
func FlattenBudget(b *bifrost.Budget) (types.Object, diag.Diagnostics) {
	if b == nil {
		return types.ObjectNull(BudgetAttrTypes()), nil
	}
	return types.ObjectValue(BudgetAttrTypes(), map[string]attr.Value{
		"max_limit": types.Float64Value(b.MaxLimit), "reset_duration": types.StringValue(b.ResetDuration),
	})
}

// FlattenRateLimit is a rate limit without usage: null when r is nil or
// sets no limit.
func FlattenRateLimit(r *bifrost.RateLimit) (types.Object, diag.Diagnostics) {
	if r == nil || (r.TokenMaxLimit == nil && r.RequestMaxLimit == nil) {
		return types.ObjectNull(RateLimitAttrTypes()), nil
	}
	return types.ObjectValue(RateLimitAttrTypes(), map[string]attr.Value{
		"token_max_limit": types.Int64PointerValue(r.TokenMaxLimit), "token_reset_duration": types.StringPointerValue(r.TokenResetDuration),
		"request_max_limit": types.Int64PointerValue(r.RequestMaxLimit), "request_reset_duration": types.StringPointerValue(r.RequestResetDuration),
	})
}

// FlattenBudgetsUsage is the budgets of a data source, with usage, in the
// server's order (an empty list when none).
func FlattenBudgetsUsage(budgets []bifrost.Budget) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	elems := make([]attr.Value, 0, len(budgets))
	for _, b := range budgets {
		o, d := types.ObjectValue(BudgetUsageAttrTypes(), map[string]attr.Value{
			"id": types.StringValue(b.ID), "max_limit": types.Float64Value(b.MaxLimit),
			"reset_duration": types.StringValue(b.ResetDuration), "current_usage": types.Float64Value(b.CurrentUsage),
			"last_reset": stringOrNull(b.LastReset), "calendar_aligned": types.BoolValue(b.CalendarAligned),
		})
		diags.Append(d...)
		elems = append(elems, o)
	}
	v, d := types.ListValue(BudgetUsageType(), elems)
	diags.Append(d...)
	return v, diags
}

// FlattenRateLimitUsage is the rate limit of a data source, with usage:
// null when r is nil.
func FlattenRateLimitUsage(r *bifrost.RateLimit) (types.Object, diag.Diagnostics) {
	if r == nil {
		return types.ObjectNull(RateLimitUsageAttrTypes()), nil
	}
	return types.ObjectValue(RateLimitUsageAttrTypes(), map[string]attr.Value{
		"id":                   types.StringValue(r.ID),
		"token_max_limit":      types.Int64PointerValue(r.TokenMaxLimit),
		"token_reset_duration": types.StringPointerValue(r.TokenResetDuration),
		"token_current_usage":  types.Int64Value(r.TokenCurrentUsage), "token_last_reset": stringOrNull(r.TokenLastReset),
		"request_max_limit":      types.Int64PointerValue(r.RequestMaxLimit),
		"request_reset_duration": types.StringPointerValue(r.RequestResetDuration),
		"request_current_usage":  types.Int64Value(r.RequestCurrentUsage), "request_last_reset": stringOrNull(r.RequestLastReset),
	})
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
