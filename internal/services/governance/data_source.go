package governance

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// IDOrName is the config validator of a data source that reads one object
// by id or by name: exactly one of the two.
func IDOrName() []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
}

// Find reads the object of a data source's config: by id when id is set,
// else by name. The errors are on the attribute used: "<Noun> not found",
// and, when names are not unique, "Several <nouns> have that name" with
// their ids.
func (k Kind[T]) Find(ctx context.Context, c *bifrost.Client, id, name types.String) (*T, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !id.IsNull() {
		got, err := k.Get(c, ctx, id.ValueString())
		switch {
		case bifrost.IsNotFound(err):
			diags.AddAttributeError(path.Root("id"), k.Title()+" not found", fmt.Sprintf("Bifrost has no %s with id %q.", k.Noun, id.ValueString()))
			return nil, diags
		case err != nil:
			diags.AddError("Cannot read the "+k.Noun, err.Error())
			return nil, diags
		}
		return got, diags
	}
	all, diags := k.ListAll(ctx, c)
	if diags.HasError() {
		return nil, diags
	}
	found := k.named(all, name.ValueString())
	switch {
	case len(found) == 0:
		diags.AddAttributeError(path.Root("name"), k.Title()+" not found",
			fmt.Sprintf("Bifrost has no %s named %q (%s listed).", k.Noun, name.ValueString(), k.count(len(all))))
		return nil, diags
	case len(found) > 1 && !k.UniqueNames:
		diags.AddAttributeError(path.Root("name"), "Several "+k.Plural()+" have that name",
			fmt.Sprintf("%d %s are named %q (%s): read the one you mean by id, one of %s.",
				len(found), k.Plural(), name.ValueString(), k.NotUniqueWhy, strings.Join(k.ids(found), ", ")))
		return nil, diags
	}
	return found[len(found)-1], diags
}

// Select lists the objects that keep keeps (nil: all) whose name matches
// nameRegex ("" for any): the error of an invalid nameRegex is on
// name_regex.
func (k Kind[T]) Select(ctx context.Context, c *bifrost.Client, nameRegex string, keep func(*T) bool) ([]T, diag.Diagnostics) {
	all, diags := k.ListAll(ctx, c)
	if diags.HasError() {
		return nil, diags
	}
	selected, err := k.Filter(all, nameRegex, keep)
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", err.Error())
		return nil, diags
	}
	return selected, diags
}

// ObjectList is objs as a list of objects of attrTypes, each flattened by
// flatten, and their ids: the computed attributes of a plural data source.
func ObjectList[T, M any](ctx context.Context, k Kind[T], objs []T, attrTypes map[string]attr.Type, flatten func(*T) (M, diag.Diagnostics)) (types.List, []string, diag.Diagnostics) {
	var diags diag.Diagnostics
	elems := make([]attr.Value, 0, len(objs))
	ids := make([]string, 0, len(objs))
	for i := range objs {
		m, d := flatten(&objs[i])
		diags.Append(d...)
		o, d := types.ObjectValueFrom(ctx, attrTypes, m)
		diags.Append(d...)
		elems = append(elems, o)
		ids = append(ids, k.ID(&objs[i]))
	}
	l, d := types.ListValue(types.ObjectType{AttrTypes: attrTypes}, elems)
	diags.Append(d...)
	return l, ids, diags
}
