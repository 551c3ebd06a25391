package bifrostprovider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalue"
)

var _ datasource.DataSourceWithConfigure = (*providerDataSource)(nil)

type providerDataSource struct {
	client *bifrost.Client
}

// NewDataSource returns the bifrost_provider data source.
func NewDataSource() datasource.DataSource { return &providerDataSource{} }

func (d *providerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider"
}

func (d *providerDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// Schema is the resource's, read-only but for the name, so that the two
// cannot drift apart.
func (d *providerDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	var rs resource.SchemaResponse
	(&providerResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	attrs := map[string]dsschema.Attribute{}
	for name, a := range rs.Schema.Attributes {
		attrs[name] = computedAttribute(a)
	}
	attrs["name"] = dsschema.StringAttribute{
		MarkdownDescription: "The provider's name (a built-in type such as `openai`, or a custom provider's name).",
		Required:            true,
		Validators: []validator.String{stringvalidator.RegexMatches(bifrost.ProviderNamePattern,
			"must be letters, digits, '_', '.', '-', starting with a letter or digit, at most 64 characters")},
	}
	resp.Schema = dsschema.Schema{
		MarkdownDescription: "Reads a Bifrost provider (an upstream LLM API) and its settings, by name.",
		Attributes:          attrs,
	}
}

// computedAttribute is the read-only data source form of a resource attribute.
func computedAttribute(a schema.Attribute) dsschema.Attribute {
	desc := a.GetMarkdownDescription()
	switch a := a.(type) {
	case schema.StringAttribute:
		return dsschema.StringAttribute{MarkdownDescription: desc, Computed: true, Sensitive: a.Sensitive}
	case schema.Int64Attribute:
		return dsschema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	case schema.BoolAttribute:
		return dsschema.BoolAttribute{MarkdownDescription: desc, Computed: true}
	case schema.MapAttribute:
		return dsschema.MapAttribute{MarkdownDescription: desc, Computed: true, ElementType: a.ElementType}
	case schema.SetAttribute:
		return dsschema.SetAttribute{MarkdownDescription: desc, Computed: true, ElementType: a.ElementType}
	case schema.SingleNestedAttribute:
		nested := map[string]dsschema.Attribute{}
		for name, n := range a.Attributes {
			if n.IsWriteOnly() || secret.IsWriteOnlyCompanion(name) {
				continue // a write-only secret's form and version: never read back
			}
			nested[name] = computedAttribute(n)
		}
		return dsschema.SingleNestedAttribute{MarkdownDescription: desc, Computed: true, Attributes: nested}
	}
	panic(fmt.Sprintf("bifrost_provider data source: no read-only form for %T", a))
}

func (d *providerDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &configured)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := configured.ValueString()
	got, err := d.client.GetProvider(ctx, name)
	if bifrost.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Provider not found",
			fmt.Sprintf("Bifrost has no provider named %q.\n\n%s", name, err.Error()))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the provider", err.Error())
		return
	}
	fields, diags := flattenProvider(ctx, got, providerFields{})
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(setView(ctx, fields, &resp.State)...)
}

// setView sets the data source's state from the resource's attributes,
// without those the data source does not show (the write-only secrets of
// the nested attributes and their versions): they are set through a state
// of the resource's schema, then projected on the data source's.
func setView(ctx context.Context, fields providerFields, dst *tfsdk.State) diag.Diagnostics {
	var rs resource.SchemaResponse
	(&providerResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	diags := rs.Diagnostics
	tt, d := rs.Schema.TypeAtPath(ctx, path.Root("timeouts"))
	diags.Append(d...)
	withAttrs, ok := tt.(attr.TypeWithAttributeTypes)
	if !ok {
		diags.AddError("Unexpected timeouts type", fmt.Sprintf("The timeouts attribute of bifrost_provider has type %T. Please report this issue to the provider developers.", tt))
		return diags
	}
	src := tfsdk.State{Schema: rs.Schema, Raw: tftypes.NewValue(rs.Schema.Type().TerraformType(ctx), nil)}
	diags.Append(src.Set(ctx, providerModel{providerFields: fields, Timeouts: timeouts.Value{Object: types.ObjectNull(withAttrs.AttributeTypes())}})...)
	if diags.HasError() {
		return diags
	}
	for name, a := range dst.Schema.GetAttributes() {
		var v attr.Value
		diags.Append(src.GetAttribute(ctx, path.Root(name), &v)...)
		diags.Append(dst.SetAttribute(ctx, path.Root(name), tfvalue.Project(v, a.GetType(), &diags))...)
	}
	return diags
}
