package providerkey

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalue"
)

// This file holds what the two data sources (bifrost_provider_key and
// bifrost_provider_keys) and the list resource share: the read-only view of
// a key, the key filters, and the import-like flattening of a key.

// keyView is a key as the data sources show it: every attribute of the
// bifrost_provider_key resource but the write-only ones and timeouts, all
// computed, with the names, types and sensitivity of the resource's schema
// (its blocks become nested attributes). It is derived from that schema and
// filled by the resource's flattening, so the data sources follow the
// resource when an attribute or a provider-specific block is added.
type keyView struct {
	resource rschema.Schema
	attrs    map[string]schema.Attribute
}

// hiddenAttributes are the resource attributes the data sources do not show.
var hiddenAttributes = map[string]bool{"value_wo": true, "value_wo_version": true, "timeouts": true}

// viewDescriptions replace, for the data sources, the resource descriptions
// that speak of configuring an attribute.
var viewDescriptions = map[string]string{
	"id":            "The key id.",
	"provider_name": "The Bifrost provider the key belongs to.",
	"name":          "The key name (unique across all providers).",
	"value": "The API key as Bifrost returns it: masked (first 4 + 24 `*` + last 4 characters; values of 8 characters " +
		"or fewer entirely `*`), never the secret. For a reference, the mask of the value Bifrost resolved (see `value_env_var`).",
	"weight":             "Load-balancing weight among the provider's keys.",
	"enabled":            "Whether Bifrost uses the key.",
	"use_for_batch_api":  "Whether the key may be used for batch API calls.",
	"models":             "Models the key may serve (`[\"*\"]`: all).",
	"blacklisted_models": "Models the key must not serve (`[\"*\"]`: all).",
	"aliases":            "Model name → provider-specific identifier (deployment name, inference profile, fine-tune id); null when none.",
}

// configFieldNote replaces, in the descriptions of the secret-wrapper
// fields of the provider-specific blocks, the resource's note about writing
// them.
const configFieldNote = " The `env.NAME` reference when Bifrost resolves the field from one; otherwise the value as Bifrost returns it, masked except where noted."

func newKeyView(ctx context.Context) (keyView, diag.Diagnostics) {
	var rs resource.SchemaResponse
	(&keyResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	diags := rs.Diagnostics
	v := keyView{resource: rs.Schema, attrs: map[string]schema.Attribute{}}
	for name, a := range rs.Schema.Attributes {
		if !hiddenAttributes[name] {
			v.attrs[name] = computedAttribute(name, a, viewDescriptions[name], &diags)
		}
	}
	for name, b := range rs.Schema.Blocks {
		if !hiddenAttributes[name] {
			v.attrs[name] = computedBlock(name, b, &diags)
		}
	}
	return v, diags
}

// attributes returns the view's schema, with the given attributes replacing
// the computed ones (for the data source's own arguments).
func (v keyView) attributes(replace map[string]schema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(v.attrs))
	for name, a := range v.attrs {
		out[name] = a
	}
	for name, a := range replace {
		out[name] = a
	}
	return out
}

// objectType is the type of one key of the view.
func (v keyView) objectType() types.ObjectType {
	t := types.ObjectType{AttrTypes: map[string]attr.Type{}}
	for name, a := range v.attrs {
		t.AttrTypes[name] = a.GetType()
	}
	return t
}

// values returns the view's attribute values for a key read from Bifrost:
// those an import of the key would read, except value, which is the mask
// Bifrost returns even for a reference.
func (v keyView) values(ctx context.Context, k *bifrost.Key, provider string) (map[string]attr.Value, diag.Diagnostics) {
	m, diags := importedKey(ctx, v.resource, k, provider)
	state := tfsdk.State{Schema: v.resource, Raw: tftypes.NewValue(v.resource.Type().TerraformType(ctx), nil)}
	diags.Append(state.Set(ctx, m)...)
	out := make(map[string]attr.Value, len(v.attrs))
	for name := range v.attrs {
		var val attr.Value
		diags.Append(state.GetAttribute(ctx, path.Root(name), &val)...)
		// Without the write-only secrets of the blocks and their versions.
		out[name] = tfvalue.Project(val, v.attrs[name].GetType(), &diags)
	}
	out["value"] = types.StringNull()
	if k.Value.Value != "" {
		out["value"] = types.StringValue(k.Value.Value)
	}
	return out, diags
}

// importedKey is the resource's state for a key read from Bifrost with no
// prior state, as an import reads it: secrets are their masks or their
// references. The timeouts of an empty prior have no attribute types, so
// they are set to a null of the schema's timeouts type.
func importedKey(ctx context.Context, s interface {
	TypeAtPath(context.Context, path.Path) (attr.Type, diag.Diagnostics)
}, k *bifrost.Key, provider string) (keyModel, diag.Diagnostics) {
	m, diags := flattenKey(ctx, k, provider, keyModel{})
	t, d := s.TypeAtPath(ctx, path.Root("timeouts"))
	diags.Append(d...)
	tt, ok := t.(attr.TypeWithAttributeTypes)
	if !ok {
		diags.AddError("Unexpected timeouts type", fmt.Sprintf("The timeouts attribute of bifrost_provider_key has type %T. Please report this issue to the provider developers.", t))
		return m, diags
	}
	m.Timeouts = timeouts.Value{Object: types.ObjectNull(tt.AttributeTypes())}
	return m, diags
}

// computedAttribute turns a resource attribute into a computed data source
// attribute of the same type and sensitivity; description, when set,
// replaces the resource's.
func computedAttribute(name string, a rschema.Attribute, description string, diags *diag.Diagnostics) schema.Attribute {
	desc, sensitive := a.GetMarkdownDescription(), a.IsSensitive()
	if d, ok := strings.CutSuffix(desc, secretFieldNote); ok {
		desc = d + configFieldNote
	}
	if description != "" {
		desc = description
	}
	switch a := a.(type) {
	case rschema.StringAttribute:
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive}
	case rschema.BoolAttribute:
		return schema.BoolAttribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive}
	case rschema.Float64Attribute:
		return schema.Float64Attribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive}
	case rschema.ListAttribute:
		return schema.ListAttribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive, ElementType: a.ElementType}
	case rschema.SetAttribute:
		return schema.SetAttribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive, ElementType: a.ElementType}
	case rschema.MapAttribute:
		return schema.MapAttribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive, ElementType: a.ElementType}
	case rschema.MapNestedAttribute:
		return schema.MapNestedAttribute{
			MarkdownDescription: desc, Computed: true, Sensitive: sensitive,
			NestedObject: schema.NestedAttributeObject{Attributes: computedAttributes(name, a.NestedObject.Attributes, nil, diags)},
		}
	}
	diags.AddError("Unsupported attribute in the data source schema", fmt.Sprintf("Attribute %s of bifrost_provider_key is a %T, which the data sources cannot show yet. Please report this issue to the provider developers.", name, a))
	return nil
}

// computedBlock turns a resource block into a computed nested attribute
// (null when the key has no such block).
func computedBlock(name string, b rschema.Block, diags *diag.Diagnostics) schema.Attribute {
	switch b := b.(type) {
	case rschema.SingleNestedBlock:
		return schema.SingleNestedAttribute{
			MarkdownDescription: b.MarkdownDescription,
			Computed:            true,
			Attributes:          computedAttributes(name, b.Attributes, b.Blocks, diags),
		}
	case rschema.ListNestedBlock:
		return schema.ListNestedAttribute{
			MarkdownDescription: b.MarkdownDescription,
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{
				Attributes: computedAttributes(name, b.NestedObject.Attributes, b.NestedObject.Blocks, diags),
			},
		}
	}
	diags.AddError("Unsupported block in the data source schema", fmt.Sprintf("Block %s of bifrost_provider_key is a %T, which the data sources cannot show yet. Please report this issue to the provider developers.", name, b))
	return nil
}

func computedAttributes(parent string, attrs map[string]rschema.Attribute, blocks map[string]rschema.Block, diags *diag.Diagnostics) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for name, a := range attrs {
		if a.IsWriteOnly() || secret.IsWriteOnlyCompanion(name) {
			continue // a write-only secret's form and version: never read back
		}
		out[name] = computedAttribute(parent+"."+name, a, "", diags)
	}
	for name, b := range blocks {
		out[name] = computedBlock(parent+"."+name, b, diags)
	}
	return out
}

// keyFilter selects keys by name (an unanchored RE2 regular expression) and
// by enabled state; a null criterion selects every key.
type keyFilter struct {
	nameRegex types.String
	enabled   types.Bool
}

// apply returns the selected keys, in Bifrost's order (creation order).
func (f keyFilter) apply(keys []bifrost.Key) ([]bifrost.Key, error) {
	var re *regexp.Regexp
	if !f.nameRegex.IsNull() {
		var err error
		if re, err = regexp.Compile(f.nameRegex.ValueString()); err != nil {
			return nil, err
		}
	}
	var out []bifrost.Key
	for _, k := range keys {
		if re != nil && !re.MatchString(k.Name) {
			continue
		}
		if !f.enabled.IsNull() && f.enabled.ValueBool() != (k.Enabled == nil || *k.Enabled) {
			continue
		}
		out = append(out, k)
	}
	return out, nil
}

// regexpDescription is what regexpValidator accepts.
const regexpDescription = "a regular expression in Go's RE2 syntax (https://golang.org/s/re2syntax)"

// regexpValidator checks at plan time that a string is a valid Go (RE2)
// regular expression.
var regexpValidator = tfvalidate.String(regexpDescription, func(s string, p path.Path, diags *diag.Diagnostics) {
	if _, err := regexp.Compile(s); err != nil {
		diags.AddAttributeError(p, "Invalid regular expression",
			fmt.Sprintf("%q is not %s: %s.", s, regexpDescription, err))
	}
})
