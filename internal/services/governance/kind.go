// Package governance holds what the Bifrost governance resources (teams,
// customers, virtual keys) have in common: their resource identity, import
// by id or "name=<name>", the handling of an object deleted outside
// Terraform, the name_regex filter and validator, lookups by id or name for
// the data sources, and the plumbing of their list resources.
package governance

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// Kind describes a governance object type T (bifrost.Team, ...) to the
// helpers: how messages name it and how the client reads it.
type Kind[T any] struct {
	// Noun names one object in messages, in lower case ("team"); its
	// plural is Noun+"s".
	Noun string
	// UniqueNames: Bifrost keeps the names unique, so a lookup by name
	// never reports several objects of a name.
	UniqueNames bool
	// NotUniqueWhy says, when names are not unique, why
	// ("customer names are not unique in Bifrost v1.5.1").
	NotUniqueWhy string
	// ImportHint ends the error of an import by a name no object has
	// (" Import a customer by its id."); may be "".
	ImportHint string
	// GoneDetail, when set, replaces the detail of the warning of a read
	// that finds the object gone (see Gone).
	GoneDetail func(id, name string) string

	ID   func(*T) string
	Name func(*T) string
	Get  func(c *bifrost.Client, ctx context.Context, id string) (*T, error)
	List func(c *bifrost.Client, ctx context.Context) ([]T, error)
	// Delete deletes the object of an id (used by Delete).
	Delete func(c *bifrost.Client, ctx context.Context, id string) error
}

// Title is Noun capitalised ("Team", "Virtual key").
func (k Kind[T]) Title() string { return strings.ToUpper(k.Noun[:1]) + k.Noun[1:] }

// Plural is Noun+"s" ("teams").
func (k Kind[T]) Plural() string { return k.Noun + "s" }

// count is "n <noun>(s)", e.g. "3 teams".
func (k Kind[T]) count(n int) string { return bifrost.Plural(n, k.Noun) }

// ListAll lists the objects, with the error "Cannot list the <nouns>".
func (k Kind[T]) ListAll(ctx context.Context, c *bifrost.Client) ([]T, diag.Diagnostics) {
	var diags diag.Diagnostics
	all, err := k.List(c, ctx)
	if err != nil {
		diags.AddError("Cannot list the "+k.Plural(), err.Error())
		return nil, diags
	}
	return all, diags
}

// named is the objects of all named name, in Bifrost's order.
func (k Kind[T]) named(all []T, name string) []*T {
	var out []*T
	for i := range all {
		if k.Name(&all[i]) == name {
			out = append(out, &all[i])
		}
	}
	return out
}

// ids is the ids of objs.
func (k Kind[T]) ids(objs []*T) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = k.ID(o)
	}
	return out
}

// Identity is the resource identity of a governance resource (Terraform ≥
// 1.12): its id.
type Identity struct {
	ID types.String `tfsdk:"id"`
}

// SetIdentity sets the resource identity, when Terraform supports it.
func SetIdentity(ctx context.Context, ident *tfsdk.ResourceIdentity, id types.String) diag.Diagnostics {
	return SetIdentityOf(ctx, ident, Identity{ID: id})
}

// SetIdentityOf sets the resource identity to v, the identity model of a
// resource whose identity is not its id, when Terraform supports it.
func SetIdentityOf(ctx context.Context, ident *tfsdk.ResourceIdentity, v any) diag.Diagnostics {
	if ident == nil {
		return nil
	}
	return ident.Set(ctx, v)
}

// IsV2 reports whether the server is Bifrost ≥ 2.0 (asked once per run).
// what names what the two write differently ("Teams"), for the error when
// the version cannot be read.
func IsV2(ctx context.Context, c *bifrost.Client, diags *diag.Diagnostics, what string) bool {
	v, err := c.ServerVersion(ctx)
	if err != nil {
		diags.AddError("Cannot tell the Bifrost version", what+" are written differently by Bifrost v1.5 and v2, and the server's version could not be read: "+err.Error())
		return false
	}
	return v.AtLeast(2, 0)
}
