// Package pricingoverride implements the bifrost_pricing_override resource
// and its data sources (bifrost_pricing_override, bifrost_pricing_overrides).
package pricingoverride

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

func quoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}

// patchDescription describes one price of the patch.
func patchDescription(field string) string {
	return fmt.Sprintf("The price `%s` of Bifrost's pricing options, in dollars (≥ 0); unset: the catalog's price.", field)
}

func (r *overrideResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	patchAttrs := make(map[string]schema.Attribute, len(bifrost.PricingOptionFields))
	for _, f := range bifrost.PricingOptionFields {
		patchAttrs[f] = schema.Float64Attribute{Optional: true, MarkdownDescription: patchDescription(f)}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Bifrost pricing override (`/api/governance/pricing-overrides`): custom prices for the models whose name " +
			"matches `pattern`, for some request types, in a scope (everywhere, a provider, a provider key, a virtual key, or a virtual " +
			"key with a provider or provider key). Nothing of an override is unique in Bifrost, names included: an override is imported by its id.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The override's id, chosen by Bifrost.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The override's name (not unique in Bifrost).",
			},
			"scope_kind": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Where the override applies: one of " + quoted(bifrost.PricingScopeKinds) + ". It decides which ids are " +
					"set: `global` none, `provider` `provider_id`, `provider_key` `provider_key_id`, `virtual_key` `virtual_key_id`, " +
					"`virtual_key_provider` `virtual_key_id` and `provider_id`, `virtual_key_provider_key` all three.",
			},
			"virtual_key_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The virtual key's id, for the `virtual_key*` scope kinds (Bifrost does not check that it exists).",
			},
			"provider_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The provider's name (e.g. `openai`), for the `provider` and `virtual_key_provider*` scope kinds.",
			},
			"provider_key_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The provider key's id, for the `provider_key` and `virtual_key_provider_key` scope kinds.",
			},
			"match_type": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "How `pattern` matches model names: `exact`, or `wildcard` (a prefix ending with one `*`).",
			},
			"pattern": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The model name (`exact`, without `*`), or a prefix followed by exactly one trailing `*` " +
					"(`wildcard`, e.g. `claude-3*`).",
			},
			"request_types": schema.SetAttribute{
				Required:    true,
				ElementType: types.StringType,
				MarkdownDescription: "The request types the prices apply to, at least one of " + quoted(bifrost.PricingRequestTypes) +
					". A base type covers its streaming variant (`chat_completion` covers `chat_completion_stream`, which Bifrost refuses).",
			},
			"patch": schema.SingleNestedAttribute{
				Required: true,
				MarkdownDescription: "The prices that replace the model catalog's, in dollars; a price left unset keeps the catalog's. " +
					"Bifrost replaces the whole patch on every update.",
				Attributes: patchAttrs,
			},
		},
	}
}

func (r *overrideResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true, Description: "The pricing override's id."},
		},
	}
}

var _ resource.ResourceWithValidateConfig = (*overrideResource)(nil)

// ValidateConfig refuses at plan time what Bifrost answers with a 400
// (governance.md §2.7), on the attribute at fault, and what it would store
// otherwise than written (surrounding spaces, empty ids: a change on every
// plan) or price wrongly (a negative price).
func (r *overrideResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m overrideModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	v := validation{diags: &resp.Diagnostics}
	v.name(m.Name)
	v.scope(m)
	v.pattern(m.MatchType, m.Pattern)
	v.requestTypes(m.RequestTypes)
	v.patch(m.Patch)
}

// validation adds the plan-time errors of one configuration.
type validation struct {
	diags interface {
		AddAttributeError(path.Path, string, string)
	}
}

func known(s types.String) bool { return !s.IsNull() && !s.IsUnknown() }

// trimmed refuses surrounding spaces, which Bifrost trims away.
func (v validation) trimmed(attr string, s types.String) bool {
	if !known(s) || strings.TrimSpace(s.ValueString()) == s.ValueString() {
		return true
	}
	v.diags.AddAttributeError(path.Root(attr), "Spaces around "+attr,
		fmt.Sprintf("%s is %q: Bifrost trims the spaces away, so the stored value would differ from the configuration on every plan. Remove them.", attr, s.ValueString()))
	return false
}

func (v validation) name(name types.String) {
	if known(name) && strings.TrimSpace(name.ValueString()) == "" {
		v.diags.AddAttributeError(path.Root("name"), "Empty name", `name is empty: Bifrost refuses it ("name is required").`)
		return
	}
	v.trimmed("name", name)
}

func (v validation) scope(m overrideModel) {
	ids := []struct {
		attr string
		val  types.String
	}{{"virtual_key_id", m.VirtualKeyID}, {"provider_id", m.ProviderID}, {"provider_key_id", m.ProviderKeyID}}
	for _, id := range ids {
		if known(id.val) && strings.TrimSpace(id.val.ValueString()) == "" {
			v.diags.AddAttributeError(path.Root(id.attr), "Empty "+id.attr,
				fmt.Sprintf("%s is empty: Bifrost stores an empty id as none. Set the id, or remove %s if scope_kind does not use it.", id.attr, id.attr))
			return
		}
		if !v.trimmed(id.attr, id.val) {
			return
		}
	}
	if !known(m.ScopeKind) {
		return
	}
	kind := m.ScopeKind.ValueString()
	vk, p, pk, ok := bifrost.PricingScopeIDs(kind)
	if !ok {
		v.diags.AddAttributeError(path.Root("scope_kind"), "Unsupported scope_kind",
			fmt.Sprintf("scope_kind is %q; Bifrost accepts one of %s (it refuses: unsupported scope_kind %q).",
				kind, strings.Join(bifrost.PricingScopeKinds, ", "), kind))
		return
	}
	var needed []string
	for i, need := range []bool{vk, p, pk} {
		if need {
			needed = append(needed, ids[i].attr)
		}
	}
	uses := "no scope id"
	if len(needed) > 0 {
		uses = strings.Join(needed, " and ")
	}
	for i, need := range []bool{vk, p, pk} {
		id := ids[i]
		switch {
		case need && id.val.IsNull():
			v.diags.AddAttributeError(path.Root(id.attr), "Missing "+id.attr,
				fmt.Sprintf("scope_kind %q needs %s: set %s (Bifrost refuses the override without it).", kind, uses, id.attr))
		case !need && !id.val.IsNull():
			v.diags.AddAttributeError(path.Root(id.attr), "Unexpected "+id.attr,
				fmt.Sprintf("scope_kind %q uses %s, not %s: remove %s (Bifrost refuses it), or choose a scope_kind that uses it.", kind, uses, id.attr, id.attr))
		}
	}
}

func (v validation) pattern(matchType, pattern types.String) {
	if known(pattern) && strings.TrimSpace(pattern.ValueString()) == "" {
		v.diags.AddAttributeError(path.Root("pattern"), "Empty pattern", `pattern is empty: Bifrost refuses it ("pattern is required").`)
		return
	}
	if !v.trimmed("pattern", pattern) || !known(matchType) {
		return
	}
	mt := matchType.ValueString()
	if mt != "exact" && mt != "wildcard" {
		v.diags.AddAttributeError(path.Root("match_type"), "Unsupported match_type",
			fmt.Sprintf("match_type is %q; Bifrost accepts exact or wildcard (it refuses: unsupported match_type %q).", mt, mt))
		return
	}
	if !known(pattern) {
		return
	}
	p := pattern.ValueString()
	var why string
	switch {
	case mt == "exact" && strings.Contains(p, "*"):
		why = "exact match pattern must not contain wildcards: use match_type = \"wildcard\", or remove the *"
	case mt == "wildcard" && !strings.HasSuffix(p, "*"):
		why = "wildcard pattern must end with * (a prefix followed by one *, e.g. \"claude-3*\")"
	case mt == "wildcard" && strings.Count(p, "*") != 1:
		why = "wildcard pattern must contain exactly one trailing *"
	default:
		return
	}
	v.diags.AddAttributeError(path.Root("pattern"), "Invalid pattern", fmt.Sprintf("pattern %q with match_type %q: %s.", p, mt, why))
}

func (v validation) requestTypes(set types.Set) {
	if set.IsNull() || set.IsUnknown() {
		return
	}
	if len(set.Elements()) == 0 {
		v.diags.AddAttributeError(path.Root("request_types"), "No request types",
			"request_types is empty: Bifrost refuses it (request_types is required and must contain at least one value). Name at least one of "+
				strings.Join(bifrost.PricingRequestTypes, ", ")+".")
		return
	}
	for _, e := range set.Elements() {
		s, ok := e.(types.String)
		if !ok || !known(s) {
			continue
		}
		rt := s.ValueString()
		at := path.Root("request_types").AtSetValue(s)
		if base, stream := strings.CutSuffix(rt, "_stream"); stream {
			v.diags.AddAttributeError(at, "Streaming request type",
				fmt.Sprintf("request_types names %q: use the base type %q, which covers both streaming and non-streaming requests (Bifrost refuses %q).", rt, base, rt))
			continue
		}
		found := false
		for _, ok := range bifrost.PricingRequestTypes {
			found = found || ok == rt
		}
		if !found {
			v.diags.AddAttributeError(at, "Unsupported request type",
				fmt.Sprintf("request_types names %q; Bifrost accepts %s.", rt, strings.Join(bifrost.PricingRequestTypes, ", ")))
		}
	}
}

func (v validation) patch(o types.Object) {
	if o.IsNull() || o.IsUnknown() {
		return
	}
	for _, f := range bifrost.PricingOptionFields {
		p, ok := o.Attributes()[f].(types.Float64)
		if !ok || p.IsNull() || p.IsUnknown() {
			continue
		}
		if x := p.ValueFloat64(); x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			v.diags.AddAttributeError(path.Root("patch").AtName(f), "Invalid price",
				fmt.Sprintf("patch.%s is %g: a price is a finite number of dollars, 0 or more.", f, x))
		}
	}
}
