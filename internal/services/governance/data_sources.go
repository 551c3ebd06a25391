package governance

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

var (
	_ datasource.DataSourceWithConfigure        = (*OneDataSource[bifrost.Team, struct{}])(nil)
	_ datasource.DataSourceWithConfigValidators = (*OneDataSource[bifrost.Team, struct{}])(nil)
	_ datasource.DataSourceWithConfigure        = (*ManyDataSource[bifrost.Team, struct{}])(nil)
)

// Flattener gives, once per read, the function that turns an object into
// its data source model M; it may ask the server what the flattening needs
// (e.g. its version), adding its errors to diags.
type Flattener[T, M any] func(ctx context.Context, c *bifrost.Client, diags *diag.Diagnostics) func(*T) (M, diag.Diagnostics)

// Plain is the Flattener of a flatten function that needs nothing more.
func Plain[T, M any](flatten func(*T) (M, diag.Diagnostics)) Flattener[T, M] {
	return func(context.Context, *bifrost.Client, *diag.Diagnostics) func(*T) (M, diag.Diagnostics) {
		return flatten
	}
}

// OneDataSource is the data source that reads one object of kind T, by id
// or by name (exactly one of the two, see IDOrName and Find), as the model
// M.
type OneDataSource[T, M any] struct {
	Kind Kind[T]
	// TypeSuffix follows the provider type name ("_team").
	TypeSuffix  string
	Description string
	// IDDescription and NameDescription describe the id and name
	// attributes; " Exactly one of `id` and `name` must be set." follows.
	IDDescription, NameDescription string
	// Validators, when set, validate both id and name.
	Validators []validator.String
	// Attributes are the attributes of an object, given its id and name.
	Attributes func(id, name dsschema.StringAttribute) map[string]dsschema.Attribute
	Flatten    Flattener[T, M]

	client *bifrost.Client
}

func (d *OneDataSource[T, M]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.TypeSuffix
}

func (d *OneDataSource[T, M]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	const exactlyOne = " Exactly one of `id` and `name` must be set."
	resp.Schema = dsschema.Schema{
		MarkdownDescription: d.Description,
		Attributes: d.Attributes(
			dsschema.StringAttribute{Optional: true, Computed: true, Validators: d.Validators, MarkdownDescription: d.IDDescription + exactlyOne},
			dsschema.StringAttribute{Optional: true, Computed: true, Validators: d.Validators, MarkdownDescription: d.NameDescription + exactlyOne},
		),
	}
}

func (d *OneDataSource[T, M]) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return IDOrName()
}

func (d *OneDataSource[T, M]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *OneDataSource[T, M]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id, name types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	if resp.Diagnostics.HasError() {
		return
	}
	found, diags := d.Kind.Find(ctx, d.client, id, name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, diags := d.Flatten(ctx, d.client, &resp.Diagnostics)(found)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// ManyDataSource is the data source that lists the objects of kind T,
// optionally filtered (Filters, and name_regex, see Select), as a list of
// models M and the list of their ids.
type ManyDataSource[T, M any] struct {
	Kind Kind[T]
	// TypeSuffix follows the provider type name ("_teams").
	TypeSuffix  string
	Description string
	// Filters are optional string attributes besides name_regex; Keep
	// (nil: all) gives the objects to keep from their values.
	Filters map[string]dsschema.StringAttribute
	Keep    func(filters map[string]types.String) func(*T) bool
	// List names the list attribute ("teams"), ListDescription describes
	// it and Element is the attributes of one element.
	List            string
	ListDescription string
	Element         map[string]dsschema.Attribute
	// IDs names the attribute of the ids ("" for "ids"); Selected names
	// the objects in its description: "The <IDs> of the selected
	// <Selected>, in the order of `<List>`."
	IDs      string
	Selected string
	Flatten  Flattener[T, M]

	client *bifrost.Client
}

func (d *ManyDataSource[T, M]) ids() string {
	if d.IDs == "" {
		return "ids"
	}
	return d.IDs
}

func (d *ManyDataSource[T, M]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.TypeSuffix
}

func (d *ManyDataSource[T, M]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := make(map[string]dsschema.Attribute, len(d.Filters)+3)
	for n, a := range d.Filters {
		attrs[n] = a
	}
	attrs["name_regex"] = NameRegexDataAttribute(d.Kind.Plural())
	attrs[d.List] = dsschema.ListNestedAttribute{
		Computed: true, MarkdownDescription: d.ListDescription,
		NestedObject: dsschema.NestedAttributeObject{Attributes: d.Element},
	}
	attrs[d.ids()] = dsschema.ListAttribute{Computed: true, ElementType: types.StringType,
		MarkdownDescription: "The " + d.ids() + " of the selected " + d.Selected + ", in the order of `" + d.List + "`."}
	resp.Schema = dsschema.Schema{MarkdownDescription: d.Description, Attributes: attrs}
}

func (d *ManyDataSource[T, M]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *ManyDataSource[T, M]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var nameRegex types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name_regex"), &nameRegex)...)
	filters := make(map[string]types.String, len(d.Filters))
	for n := range d.Filters {
		var v types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(n), &v)...)
		filters[n] = v
	}
	if resp.Diagnostics.HasError() {
		return
	}
	var keep func(*T) bool
	if d.Keep != nil {
		keep = d.Keep(filters)
	}
	selected, diags := d.Kind.Select(ctx, d.client, nameRegex.ValueString(), keep)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	flatten := d.Flatten(ctx, d.client, &resp.Diagnostics)
	// The state starts as the config: only the computed lists are set.
	list, ids, diags := ObjectList(ctx, d.Kind, selected, attrTypes(d.Element), flatten)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.List), list)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.ids()), ids)...)
}

// attrTypes is the attribute types of an object of attrs.
func attrTypes(attrs map[string]dsschema.Attribute) map[string]attr.Type {
	t, _ := dsschema.NestedAttributeObject{Attributes: attrs}.Type().(types.ObjectType)
	return t.AttrTypes
}

// DataSourceBase is embedded by a data source that does not fit
// OneDataSource or ManyDataSource, for its Metadata (type name: the
// provider's, then TypeSuffix) and Configure (Client).
type DataSourceBase struct {
	TypeSuffix string
	Client     *bifrost.Client
}

func (b *DataSourceBase) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + b.TypeSuffix
}

func (b *DataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.Client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}
