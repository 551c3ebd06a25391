package governance

import (
	"context"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
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

// ListSelected is what a list resource lists: it reads req.Config into cfg
// (a pointer to the config model), asks selection (once cfg is read) for
// the name_regex and the keep function (nil: all) of the config, and
// selects the objects (see Select), at most req.Limit of them. On an
// error it returns false, the diagnostics streamed.
func (k Kind[T]) ListSelected(ctx context.Context, c *bifrost.Client, req list.ListRequest, stream *list.ListResultsStream,
	cfg any, selection func() (nameRegex string, keep func(*T) bool),
) ([]T, bool) {
	diags := req.Config.Get(ctx, cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return nil, false
	}
	nameRegex, keep := selection()
	objs, d := k.Select(ctx, c, nameRegex, keep)
	diags.Append(d...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return nil, false
	}
	if req.Limit > 0 && int64(len(objs)) > req.Limit {
		objs = objs[:req.Limit]
	}
	return objs, true
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
