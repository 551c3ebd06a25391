package governance

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// Read reads the object of a resource's state (id, name) for its Read. An
// object Bifrost no longer has is removed from the state (see Gone) and an
// error reported as "Cannot read the <noun>"; both return false.
func (k Kind[T]) Read(ctx context.Context, c *bifrost.Client, resp *resource.ReadResponse, id, name types.String) (*T, bool) {
	got, err := k.Get(c, ctx, id.ValueString())
	if bifrost.IsNotFound(err) {
		k.Gone(ctx, resp, id, name)
		return nil, false
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the "+k.Noun, err.Error())
		return nil, false
	}
	return got, true
}

// Gone removes from the state an object deleted outside Terraform, with a
// warning "<Noun> not found", and sets its identity all the same.
func (k Kind[T]) Gone(ctx context.Context, resp *resource.ReadResponse, id, name types.String) {
	detail := fmt.Sprintf("The %s %q (id %s) no longer exists in Bifrost (deleted outside Terraform). It is removed from the state; the next apply creates it again.",
		k.Noun, name.ValueString(), id.ValueString())
	if k.GoneDetail != nil {
		detail = k.GoneDetail(id.ValueString(), name.ValueString())
	}
	resp.Diagnostics.AddWarning(k.Title()+" not found", detail)
	// Terraform expects an identity even for a resource being removed.
	resp.Diagnostics.Append(SetIdentity(ctx, resp.Identity, id)...)
	resp.State.RemoveResource(ctx)
}

// DeleteResource deletes the object of the state's id; one already gone
// (404) is deleted.
func (k Kind[T]) DeleteResource(ctx context.Context, c *bifrost.Client, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := k.Delete(c, ctx, id.ValueString()); err != nil && !bifrost.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot delete the "+k.Noun, err.Error())
	}
}

// ImportID is the id an import names: req.ID itself, the id of the only
// object named <name> for "name=<name>", or the id of the resource identity
// when req.ID is empty (Terraform ≥ 1.12). It is "" with an error when a
// name cannot be resolved; it may be "" without one (an empty identity),
// which the caller refuses in its own words.
func (k Kind[T]) ImportID(ctx context.Context, c *bifrost.Client, req resource.ImportStateRequest, diags *diag.Diagnostics) string {
	if req.ID == "" {
		var ident Identity
		diags.Append(req.Identity.Get(ctx, &ident)...)
		return ident.ID.ValueString()
	}
	name, byName := strings.CutPrefix(req.ID, "name=")
	if !byName {
		return req.ID
	}
	all, d := k.ListAll(ctx, c)
	diags.Append(d...)
	if d.HasError() {
		return ""
	}
	found := k.named(all, name)
	switch {
	case len(found) == 0:
		diags.AddError("No "+k.Noun+" with that name",
			fmt.Sprintf("Bifrost has no %s named %q (%s listed).%s", k.Noun, name, k.count(len(all)), k.ImportHint))
		return ""
	case len(found) > 1 && !k.UniqueNames:
		diags.AddError("Several "+k.Plural()+" have that name",
			fmt.Sprintf("%d %s are named %q (%s): import the one you mean by its id, one of %s.",
				len(found), k.Plural(), name, k.NotUniqueWhy, strings.Join(k.ids(found), ", ")))
		return ""
	}
	return k.ID(found[len(found)-1])
}

// ImportState imports by id, by "name=<name>" or by resource identity (see
// ImportID): it sets the state's id and the identity. invalid is the
// detail of the error when there is no id ("Expected ...").
func (k Kind[T]) ImportState(ctx context.Context, c *bifrost.Client, req resource.ImportStateRequest, resp *resource.ImportStateResponse, invalid string) {
	id := k.ImportID(ctx, c, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if id == "" {
		resp.Diagnostics.AddError("Invalid import ID", invalid)
		return
	}
	SetImported(ctx, resp, id)
}

// SetImported sets the id of an imported resource in its state and identity.
func SetImported(ctx context.Context, resp *resource.ImportStateResponse, id string) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(SetIdentity(ctx, resp.Identity, types.StringValue(id))...)
}
