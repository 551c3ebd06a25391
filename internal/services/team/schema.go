// Package team implements the bifrost_team resource, its data sources
// (bifrost_team, bifrost_teams) and its list resource.
package team

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

func (r *teamResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Bifrost governance team (`/api/governance/teams`): a unique name, an optional customer that owns it, " +
			"budgets and a rate limit shared by the team's virtual keys. Usage figures are shown by the `bifrost_team` data source, never here.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The team's id, chosen by Bifrost.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The team's name: unique among the teams of the Bifrost server (checked at plan time).",
				Validators:          []validator.String{tfvalidate.NonEmpty("name", "Bifrost refuses a team without a name.")},
			},
			"customer_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The id of the customer that owns the team (e.g. `bifrost_customer.acme.id`); checked at plan time. " +
					"Changing it replaces the team: Bifrost's update answers success but keeps the old customer " +
					"(measured on v1.5.1), so a team's customer can only be chosen when the team is created.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{tfvalidate.NonEmpty("customer_id", "To have no customer, remove customer_id.")},
			},
			"budgets": limits.BudgetsAttribute("The team's budgets, each a spending limit in dollars per reset period."),
			"rate_limit": limits.RateLimitAttribute("The team's rate limit. Bifrost replaces it as a whole on every update " +
				"(a half left out is dropped)."),
			"calendar_aligned": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Snap budget resets to UTC calendar boundaries (day, week, month, year). Bifrost v1.5.1 keeps the flag " +
					"on each budget (it is sent with every budget, and has no effect on a team without budgets); Bifrost ≥ 2.0 on the team. " +
					"Switching it on resets the budgets' usage.",
			},
		},
	}
}

func (r *teamResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true, Description: "The team's id."},
		},
	}
}
