package governance

import (
	"context"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

// NameRegexListAttribute is the optional name_regex of a list resource's
// config, selecting among plural ("teams").
func NameRegexListAttribute(plural string) listschema.StringAttribute {
	return listschema.StringAttribute{Optional: true, Validators: []validator.String{RegexpValidator()}, MarkdownDescription: NameRegexDescription(plural)}
}

// NameRegexDataAttribute is the optional name_regex of a plural data
// source, selecting among plural ("teams").
func NameRegexDataAttribute(plural string) dsschema.StringAttribute {
	return dsschema.StringAttribute{Optional: true, Validators: []validator.String{RegexpValidator()}, MarkdownDescription: NameRegexDescription(plural)}
}

// ListResource is the list resource of a governance kind, for `terraform
// query` (Terraform ≥ 1.14): the objects in Bifrost's order, at most the
// request's limit, each with its resource identity (its id) and its name as
// display name, selected by name_regex and the kind's own filters.
type ListResource[T any] struct {
	Kind Kind[T]
	// TypeSuffix follows the provider's type name: "_team".
	TypeSuffix  string
	Description string
	// Plural names the objects in name_regex's description ("teams").
	Plural string
	// Filters are the config's string attributes beyond name_regex.
	Filters map[string]listschema.StringAttribute
	// Keep selects by the filters' configured values (by attribute name,
	// "" when null); nil keeps every object.
	Keep func(filters map[string]string) func(*T) bool
	// Model returns, when the request asks for the resource objects, what
	// an import of an object reads; it may ask the server first (once).
	Model func(ctx context.Context, c *bifrost.Client, diags *diag.Diagnostics) func(*T) (any, diag.Diagnostics)

	client *bifrost.Client
}

var _ list.ListResourceWithConfigure = (*ListResource[struct{}])(nil)

func (l *ListResource[T]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.TypeSuffix
}

func (l *ListResource[T]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := map[string]listschema.Attribute{"name_regex": NameRegexListAttribute(l.Plural)}
	for name, a := range l.Filters {
		attrs[name] = a
	}
	resp.Schema = listschema.Schema{MarkdownDescription: l.Description, Attributes: attrs}
}

func (l *ListResource[T]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (l *ListResource[T]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	configured := func(name string) string {
		var v types.String
		diags.Append(req.Config.GetAttribute(ctx, path.Root(name), &v)...)
		return v.ValueString()
	}
	nameRegex := configured("name_regex")
	var keep func(*T) bool
	if l.Keep != nil {
		filters := make(map[string]string, len(l.Filters))
		for name := range l.Filters {
			filters[name] = configured(name)
		}
		keep = l.Keep(filters)
	}
	var objs []T
	if !diags.HasError() {
		var d diag.Diagnostics
		objs, d = l.Kind.Select(ctx, l.client, nameRegex, keep)
		diags.Append(d...)
	}
	model := func(*T) (any, diag.Diagnostics) { return nil, nil }
	if req.IncludeResource && !diags.HasError() {
		model = l.Model(ctx, l.client, &diags)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit > 0 && int64(len(objs)) > req.Limit {
		objs = objs[:req.Limit]
	}
	l.Kind.StreamResults(ctx, req, stream, objs, model)
}

// StreamResults streams objs, in their order, each with its identity (its
// id) and its name as display name, and, when the request asks for it,
// the resource object model returns (what an import of it reads).
func (k Kind[T]) StreamResults(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream, objs []T, model func(*T) (any, diag.Diagnostics)) {
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range objs {
			o := &objs[i]
			result := req.NewListResult(ctx)
			result.DisplayName = k.Name(o)
			result.Diagnostics.Append(result.Identity.Set(ctx, Identity{ID: types.StringValue(k.ID(o))})...)
			if req.IncludeResource {
				m, d := model(o)
				result.Diagnostics.Append(d...)
				result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
			}
			if !push(result) {
				return
			}
		}
	}
}
