package pricingoverride

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// patchFields are the members of Bifrost's PricingOptions, the pricing
// patch of an override: every one an optional price in dollars (per token,
// character, image, pixel, second, page, query or session as its name
// says). Order: the server's struct order.
var patchFields = []string{
	"input_cost_per_token", "output_cost_per_token", "input_cost_per_token_batches", "output_cost_per_token_batches",
	"input_cost_per_token_priority", "output_cost_per_token_priority", "input_cost_per_token_flex",
	"output_cost_per_token_flex", "input_cost_per_character",
	"input_cost_per_token_above_128k_tokens", "input_cost_per_image_above_128k_tokens",
	"input_cost_per_video_per_second_above_128k_tokens", "input_cost_per_audio_per_second_above_128k_tokens",
	"output_cost_per_token_above_128k_tokens",
	"input_cost_per_token_above_200k_tokens", "input_cost_per_token_above_200k_tokens_priority",
	"output_cost_per_token_above_200k_tokens", "output_cost_per_token_above_200k_tokens_priority",
	"input_cost_per_token_above_272k_tokens", "input_cost_per_token_above_272k_tokens_priority",
	"output_cost_per_token_above_272k_tokens", "output_cost_per_token_above_272k_tokens_priority",
	"cache_creation_input_token_cost", "cache_read_input_token_cost",
	"cache_creation_input_token_cost_above_200k_tokens", "cache_read_input_token_cost_above_200k_tokens",
	"cache_read_input_token_cost_above_200k_tokens_priority", "cache_creation_input_token_cost_above_1hr",
	"cache_creation_input_token_cost_above_1hr_above_200k_tokens", "cache_creation_input_audio_token_cost",
	"cache_read_input_token_cost_priority", "cache_read_input_token_cost_flex", "cache_read_input_image_token_cost",
	"cache_read_input_token_cost_above_272k_tokens", "cache_read_input_token_cost_above_272k_tokens_priority",
	"input_cost_per_image", "input_cost_per_pixel", "output_cost_per_image", "output_cost_per_pixel",
	"output_cost_per_image_premium_image", "output_cost_per_image_above_512_and_512_pixels",
	"output_cost_per_image_above_512_and_512_pixels_and_premium_image",
	"output_cost_per_image_above_1024_and_1024_pixels",
	"output_cost_per_image_above_1024_and_1024_pixels_and_premium_image",
	"output_cost_per_image_above_2048_and_2048_pixels", "output_cost_per_image_above_4096_and_4096_pixels",
	"output_cost_per_image_low_quality", "output_cost_per_image_medium_quality",
	"output_cost_per_image_high_quality", "output_cost_per_image_auto_quality",
	"input_cost_per_image_token", "output_cost_per_image_token",
	"input_cost_per_audio_token", "input_cost_per_audio_per_second", "input_cost_per_second",
	"input_cost_per_video_per_second", "output_cost_per_audio_token", "output_cost_per_video_per_second",
	"output_cost_per_second",
	"search_context_cost_per_query", "code_interpreter_cost_per_session",
	"ocr_cost_per_page", "annotation_cost_per_page",
}

// patchAttrTypes is the object type of patch.
func patchAttrTypes() map[string]attr.Type {
	out := make(map[string]attr.Type, len(patchFields))
	for _, f := range patchFields {
		out[f] = types.Float64Type
	}
	return out
}

// flattenPatch is the patch object of a stored patch: the prices it sets,
// null for the others. Members the provider does not model are left out.
func flattenPatch(p bifrost.PricingPatch) (types.Object, diag.Diagnostics) {
	vals := make(map[string]attr.Value, len(patchFields))
	for _, f := range patchFields {
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
