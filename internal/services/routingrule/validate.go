package routingrule

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

func known(v interface {
	IsNull() bool
	IsUnknown() bool
},
) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// ValidateConfig checks, without the server, everything Bifrost refuses
// with a 400 (governance.md §2.4) and what it stores but cannot work with
// (an empty string where an omission is meant, CEL that does not parse, a
// scope_id on a global rule, which Bifrost drops).
func (r *ruleResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m ruleModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateRule(ctx, m, &resp.Diagnostics)
}

func validateRule(ctx context.Context, m ruleModel, diags *diag.Diagnostics) {
	if known(m.Name) && m.Name.ValueString() == "" {
		diags.AddAttributeError(path.Root("name"), "Empty name", "name is \"\": Bifrost refuses a routing rule without a name (name field is required).")
	}
	if known(m.CelExpression) {
		switch expr := m.CelExpression.ValueString(); {
		case strings.TrimSpace(expr) == "":
			diags.AddAttributeError(path.Root("cel_expression"), "Empty CEL expression",
				"cel_expression is empty: write the condition of the rule, or \"true\" to match every request.")
		default:
			if msg := celSyntaxError(expr); msg != "" {
				diags.AddAttributeError(path.Root("cel_expression"), "Invalid CEL expression",
					fmt.Sprintf("cel_expression %q is not valid CEL: %s\n\nBifrost v1.5.1 stores it and the rule never matches; v2 refuses it.", expr, msg))
			}
		}
	}
	validateTargets(ctx, m.Targets, diags)
	validateFallbacks(ctx, m.Fallbacks, diags)
	validateScope(m.Scope, m.ScopeID, diags)
}

// validateTargets is Bifrost's validateRoutingTargets, each error on the
// target it concerns.
func validateTargets(ctx context.Context, list types.List, diags *diag.Diagnostics) {
	if !known(list) {
		return
	}
	var targets []targetModel
	if d := list.ElementsAs(ctx, &targets, false); d.HasError() {
		diags.Append(d...)
		return
	}
	root := path.Root("targets")
	if len(targets) == 0 {
		diags.AddAttributeError(root, "No routing target", "targets is empty: Bifrost needs at least one target (at least one target is required).")
		return
	}
	seen := map[string]int{}
	total, allKnown := 0.0, true
	for i, t := range targets {
		at := root.AtListIndex(i)
		for _, f := range []struct {
			name string
			v    types.String
			hint string
		}{
			{"provider", t.Provider, "to keep the request's provider, omit provider"},
			{"model", t.Model, "to keep the request's model, omit model"},
			{"key_id", t.KeyID, "to let Bifrost choose among the provider's keys, omit key_id"},
		} {
			if known(f.v) && f.v.ValueString() == "" {
				diags.AddAttributeError(at.AtName(f.name), "Empty target "+f.name, fmt.Sprintf("targets[%d].%s is \"\": %s.", i, f.name, f.hint))
			}
		}
		if known(t.Weight) {
			if w := t.Weight.ValueFloat64(); w <= 0 {
				diags.AddAttributeError(at.AtName("weight"), "Invalid target weight",
					fmt.Sprintf("targets[%d].weight is %g: each target weight must be positive.", i, w))
			}
			total += t.Weight.ValueFloat64()
		} else {
			allKnown = false
		}
		if known(t.KeyID) && t.KeyID.ValueString() != "" && t.Provider.IsNull() {
			diags.AddAttributeError(at.AtName("key_id"), "Target key_id without provider",
				fmt.Sprintf("targets[%d] names key_id %q but no provider: a key belongs to one provider (key_id requires provider to be set). "+
					"Set provider to the key's provider.", i, t.KeyID.ValueString()))
		}
		if t.Provider.IsUnknown() || t.Model.IsUnknown() || t.KeyID.IsUnknown() {
			continue
		}
		provider, model, keyID := strings.ToLower(t.Provider.ValueString()), strings.ToLower(t.Model.ValueString()), t.KeyID.ValueString()
		id := provider + "|" + model + "|" + keyID
		if j, dup := seen[id]; dup {
			diags.AddAttributeError(at, "Duplicate routing target",
				fmt.Sprintf("targets[%d] and targets[%d] are the same target (provider=%q model=%q key_id=%q; provider and model are compared "+
					"case-insensitively): merge them and add up their weights.", j, i, provider, model, keyID))
			continue
		}
		seen[id] = i
	}
	if allKnown && math.Abs(total-1) > 0.001 {
		diags.AddAttributeError(root, "Target weights do not sum to 1",
			fmt.Sprintf("The weights of targets sum to %.4f: Bifrost needs them to sum to 1 (± 0.001), e.g. 0.8 and 0.2.", total))
	}
}

// validateFallbacks is Bifrost's validateRoutingFallbacks: each fallback is
// "provider/model" or "provider/" with a built-in provider.
func validateFallbacks(ctx context.Context, list types.List, diags *diag.Diagnostics) {
	if !known(list) {
		return
	}
	var fallbacks []types.String
	if d := list.ElementsAs(ctx, &fallbacks, false); d.HasError() {
		diags.Append(d...)
		return
	}
	for i, fb := range fallbacks {
		if !known(fb) {
			continue
		}
		at := path.Root("fallbacks").AtListIndex(i)
		s := fb.ValueString()
		if strings.TrimSpace(s) == "" {
			diags.AddAttributeError(at, "Empty fallback", fmt.Sprintf("fallbacks[%d] is empty: write \"provider/model\", or \"provider/\" for the request's model.", i))
			continue
		}
		provider, _, found := strings.Cut(s, "/")
		if !found || !bifrost.IsStandardProvider(provider) {
			diags.AddAttributeError(at, "Invalid fallback",
				fmt.Sprintf("fallbacks[%d] %q is not \"provider/model\" (or \"provider/\" for the request's model) with one of Bifrost's built-in "+
					"providers, e.g. \"openai/gpt-4o-mini\" or \"azure/\": Bifrost refuses it (must use a known provider prefix).", i, s))
		}
	}
}

// validateScope: a known scope; scope_id present (and not "") unless the
// scope is global, absent when it is (Bifrost would drop it: endless diff).
// A null scope is the default, global.
func validateScope(scope, scopeID types.String, diags *diag.Diagnostics) {
	if scope.IsUnknown() || scopeID.IsUnknown() {
		return
	}
	s := "global" // the default
	if !scope.IsNull() {
		s = scope.ValueString()
	}
	if !slices.Contains(bifrost.RoutingScopes, s) {
		diags.AddAttributeError(path.Root("scope"), "Invalid scope",
			fmt.Sprintf("scope %q is not one of: %s.", s, strings.Join(bifrost.RoutingScopes, ", ")))
		return
	}
	switch {
	case s == "global" && !scopeID.IsNull():
		diags.AddAttributeError(path.Root("scope_id"), "scope_id on a global rule",
			"scope_id is set but scope is \"global\": a global rule has no scope id (Bifrost drops it). Remove scope_id, or set scope to "+
				"\"team\", \"customer\" or \"virtual_key\".")
	case s != "global" && scopeID.IsNull():
		diags.AddAttributeError(path.Root("scope_id"), "Missing scope_id",
			fmt.Sprintf("scope is %q but scope_id is not set: name the %s the rule applies to (scope_id field is required when scope is not global).", s, scopeNoun(s)))
	case s != "global" && known(scopeID) && scopeID.ValueString() == "":
		diags.AddAttributeError(path.Root("scope_id"), "Empty scope_id",
			fmt.Sprintf("scope_id is \"\": name the %s the rule applies to.", scopeNoun(s)))
	}
}

// scopeNoun names what a scope id names ("virtual key").
func scopeNoun(scope string) string { return strings.ReplaceAll(scope, "_", " ") }
