package pricingoverride

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// patchAttrTypes is the object type of patch.
func patchAttrTypes() map[string]attr.Type {
	out := make(map[string]attr.Type, len(bifrost.PricingOptionFields))
	for _, f := range bifrost.PricingOptionFields {
		out[f] = types.Float64Type
	}
	return out
}

// flattenPatch is the patch object of a stored patch: the prices it sets,
// null for the others. Members the provider does not model are left out.
func flattenPatch(p bifrost.PricingPatch) (types.Object, diag.Diagnostics) {
	vals := make(map[string]attr.Value, len(bifrost.PricingOptionFields))
	for _, f := range bifrost.PricingOptionFields {
		if v, ok := p[f]; ok {
			vals[f] = types.Float64Value(v)
		} else {
			vals[f] = types.Float64Null()
		}
	}
	return types.ObjectValue(patchAttrTypes(), vals)
}

// expandPatch is the patch of the object: its non-null prices.
func expandPatch(o types.Object) bifrost.PricingPatch {
	out := bifrost.PricingPatch{}
	if o.IsNull() || o.IsUnknown() {
		return out
	}
	for name, v := range o.Attributes() {
		if f, ok := v.(types.Float64); ok && !f.IsNull() && !f.IsUnknown() {
			out[name] = f.ValueFloat64()
		}
	}
	return out
}
