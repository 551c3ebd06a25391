package providerkey

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
)

// secretBlocks are the blocks whose string attributes Bifrost may answer
// masked.
var secretBlocks = []string{
	"azure_key_config", "vertex_key_config", "bedrock_key_config", "bedrock_mantle_key_config",
	"vllm_key_config", "ollama_key_config", "sgl_key_config",
}

// refuseClearingMasked stops a plan that would replace a secret Terraform
// knows only as Bifrost's mask (after an import, or from a generated
// configuration that leaves it null) with an empty value: a key update
// replaces the whole key, so the secret stored in Bifrost would be lost.
// prior, config and plan are the attributes of the prior state, the
// configuration and the plan.
func refuseClearingMasked(prior, config, plan map[string]tftypes.Value, diags *diag.Diagnostics) {
	if maskedCleared(prior["value"], plan["value"]) && config["value_wo"].IsNull() {
		addMaskedCleared(diags, path.Root("value"), "value (or value_wo with value_wo_version)")
	}
	for _, block := range secretBlocks {
		before, after, configured := objectOrNil(prior[block]), objectOrNil(plan[block]), objectOrNil(config[block])
		if before == nil || after == nil {
			continue
		}
		for name, v := range before {
			if wo, ok := configured[name+secret.WriteOnlySuffix]; ok && !wo.IsNull() {
				continue // written from its write-only form
			}
			if maskedCleared(v, after[name]) {
				addMaskedCleared(diags, path.Root(block).AtName(name), block+"."+name)
			}
		}
	}
}

// maskedCleared reports whether before is a mask and after is null or "".
func maskedCleared(before, after tftypes.Value) bool {
	if !before.IsKnown() || before.IsNull() || !before.Type().Is(tftypes.String) || !after.IsKnown() {
		return false
	}
	var was, will string
	if before.As(&was) != nil || !bifrost.LooksRedacted(was) {
		return false
	}
	return after.IsNull() || after.As(&will) == nil && will == ""
}

func addMaskedCleared(diags *diag.Diagnostics, p path.Path, what string) {
	diags.AddAttributeError(p, "Secret known only by its mask",
		fmt.Sprintf("Terraform knows %s of this key only as the mask Bifrost shows (after an import, or from generated configuration), "+
			"and the configuration leaves it empty: Bifrost replaces a whole key on update, so applying would erase the secret it holds. "+
			"Set %s to the secret or to an env.NAME reference.", p, what))
}

// objectOrNil returns the attributes of a known, non-null object value.
func objectOrNil(v tftypes.Value) map[string]tftypes.Value {
	if !v.IsKnown() || v.IsNull() || !v.Type().Is(tftypes.Object{}) {
		return nil
	}
	var attrs map[string]tftypes.Value
	if v.As(&attrs) != nil {
		return nil
	}
	return attrs
}
