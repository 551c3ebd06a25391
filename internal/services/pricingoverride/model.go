package pricingoverride

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// overrideModel is the state of a bifrost_pricing_override (and an element
// of the data sources, which show the same attributes).
type overrideModel struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	ScopeKind     types.String `tfsdk:"scope_kind"`
	VirtualKeyID  types.String `tfsdk:"virtual_key_id"`
	ProviderID    types.String `tfsdk:"provider_id"`
	ProviderKeyID types.String `tfsdk:"provider_key_id"`
	MatchType     types.String `tfsdk:"match_type"`
	Pattern       types.String `tfsdk:"pattern"`
	RequestTypes  types.Set    `tfsdk:"request_types"`
	Patch         types.Object `tfsdk:"patch"`
}

// optional is s, or null for "" (the server leaves unused ids out).
func optional(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// flattenOverride is the state of o: every attribute as Bifrost stores it,
// so that a change made outside Terraform shows as drift.
func flattenOverride(ctx context.Context, o *bifrost.PricingOverride) (overrideModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := overrideModel{
		ID: types.StringValue(o.ID), Name: types.StringValue(o.Name), ScopeKind: types.StringValue(o.ScopeKind),
		VirtualKeyID: optional(o.VirtualKeyID), ProviderID: optional(o.ProviderID), ProviderKeyID: optional(o.ProviderKeyID),
		MatchType: types.StringValue(o.MatchType), Pattern: types.StringValue(o.Pattern),
	}
	rts := o.RequestTypes
	if rts == nil {
		rts = []string{}
	}
	var d diag.Diagnostics
	m.RequestTypes, d = types.SetValueFrom(ctx, types.StringType, rts)
	diags.Append(d...)
	patch, err := o.Patch()
	if err != nil {
		diags.AddError("Cannot read the pricing override's patch", err.Error())
		return m, diags
	}
	m.Patch, d = flattenPatch(patch)
	diags.Append(d...)
	return m, diags
}

func (m overrideModel) requestTypes(ctx context.Context) ([]string, diag.Diagnostics) {
	var rts []string
	diags := m.RequestTypes.ElementsAs(ctx, &rts, false)
	return rts, diags
}

// expandCreate is the create request of plan.
func expandCreate(ctx context.Context, plan overrideModel) (bifrost.PricingOverrideCreate, diag.Diagnostics) {
	rts, diags := plan.requestTypes(ctx)
	return bifrost.PricingOverrideCreate{
		Name: plan.Name.ValueString(), ScopeKind: plan.ScopeKind.ValueString(),
		VirtualKeyID: plan.VirtualKeyID.ValueString(), ProviderID: plan.ProviderID.ValueString(), ProviderKeyID: plan.ProviderKeyID.ValueString(),
		MatchType: plan.MatchType.ValueString(), Pattern: plan.Pattern.ValueString(),
		RequestTypes: rts, Patch: expandPatch(plan.Patch),
	}, diags
}

// expandUpdate is the update that sets the override to plan as a whole:
// every member sent, the ids the scope kind does not use sent as null, the
// patch replaced.
func expandUpdate(ctx context.Context, plan overrideModel) (bifrost.PricingOverrideUpdate, diag.Diagnostics) {
	rts, diags := plan.requestTypes(ctx)
	name, kind, match, pattern := plan.Name.ValueString(), plan.ScopeKind.ValueString(), plan.MatchType.ValueString(), plan.Pattern.ValueString()
	patch := expandPatch(plan.Patch)
	return bifrost.PricingOverrideUpdate{
		Name: &name, ScopeKind: &kind,
		VirtualKeyID:  bifrost.IDUpdate(plan.VirtualKeyID.ValueString()),
		ProviderID:    bifrost.IDUpdate(plan.ProviderID.ValueString()),
		ProviderKeyID: bifrost.IDUpdate(plan.ProviderKeyID.ValueString()),
		MatchType:     &match, Pattern: &pattern, RequestTypes: rts, Patch: &patch,
	}, diags
}

// checkStoredPatch reports the prices of sent that Bifrost did not store as
// sent: a member this Bifrost version does not know is dropped, and would
// show as a change on every plan.
func checkStoredPatch(sent bifrost.PricingPatch, got *bifrost.PricingOverride, diags *diag.Diagnostics) {
	stored, err := got.Patch()
	if err != nil {
		return
	}
	for _, f := range bifrost.PricingOptionFields {
		want, ok := sent[f]
		if !ok {
			continue
		}
		if have, kept := stored[f]; !kept || have != want {
			detail := fmt.Sprintf("patch.%s was sent as %g but Bifrost stored ", f, want)
			if kept {
				detail += fmt.Sprintf("%g.", have)
			} else {
				detail += "nothing: this Bifrost version does not know that price (its pricing patch drops unknown members). Remove it from the configuration."
			}
			diags.AddAttributeError(path.Root("patch").AtName(f), "Price not stored by Bifrost", detail)
		}
	}
}
