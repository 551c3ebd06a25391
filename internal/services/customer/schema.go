// Package customer implements the bifrost_customer resource, its data
// sources (bifrost_customer, bifrost_customers) and its list resource.
package customer

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

func (r *customerResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Bifrost governance customer (`/api/governance/customers`): a name (not unique in Bifrost v1.5.1), " +
			"budgets and a rate limit shared by the customer's teams and virtual keys. Usage figures are shown by the `bifrost_customer` data source, never here.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The customer's id, chosen by Bifrost.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The customer's name. Bifrost v1.5.1 does not require it to be unique (Bifrost ≥ 2.0 does), " +
					"so a customer is imported by id.",
				// Bifrost refuses an empty name (400 "Customer name is required" on
				// create, the generic 500 of an update on v1.5.1).
				Validators: []validator.String{tfvalidate.NonEmpty("name", "Bifrost refuses a customer without a name.")},
			},
			"budgets": limits.BudgetsAttribute("The customer's budgets. Bifrost v1.5.1 holds **one** budget per customer " +
				"(more is refused at plan time); Bifrost ≥ 2.0 holds several."),
			"rate_limit": limits.RateLimitAttribute("The customer's rate limit. Bifrost replaces it as a whole on every update " +
				"(a half left out is dropped)."),
		},
	}
}

func (r *customerResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true, Description: "The customer's id."},
		},
	}
}
