package customer

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

// NewListResource returns the bifrost_customer list resource: the
// customers for `terraform query`, as bifrost_customer resources to import.
func NewListResource() list.ListResource {
	return &governance.ListResource[bifrost.Customer]{
		Kind: kind, TypeSuffix: "_customer", Plural: "customers",
		Description: "Lists the Bifrost customers, each with its resource identity (`id`) and its name as display name " +
			"(names are not unique: the identity tells customers apart).",
		Model: func(context.Context, *bifrost.Client, *diag.Diagnostics) func(*bifrost.Customer) (any, diag.Diagnostics) {
			return func(cu *bifrost.Customer) (any, diag.Diagnostics) { return flattenCustomer(cu, customerModel{}) }
		},
	}
}
