// Package providergovernance implements the bifrost_provider_governance
// resource (provider-level budgets and rate limit, one per Bifrost
// provider) and its data source.
package providergovernance

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

func (r *govResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The budgets and rate limit of one Bifrost provider (`/api/governance/providers`): they apply to all the " +
			"provider's traffic, whatever the model or virtual key. There is one per provider: creating the resource sets the provider's " +
			"limits (replacing any set outside Terraform), destroying it clears them. `bifrost_model_config` limits one model, " +
			"`bifrost_virtual_key` one key's traffic. Usage figures are shown by the `bifrost_provider_governance` data source, never here.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The provider's name.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"provider_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The Bifrost provider whose traffic is limited (e.g. `bifrost_provider.openai.name`); it must exist " +
					"(checked at plan time). Changing it replaces the resource.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{tfvalidate.NonEmpty("provider_name", "name the Bifrost provider whose traffic to limit.")},
			},
			"budgets": limits.BudgetsAttribute("The provider's budgets. Bifrost v1.5.1 holds **one** budget per provider " +
				"(more is refused at plan time); Bifrost ≥ 2.0 holds several."),
			"rate_limit": limits.RateLimitAttribute("The provider's rate limit. Bifrost replaces it as a whole on every update " +
				"(a half left out is dropped)."),
		},
	}
}

// ConfigValidators: a provider governance without limits is nothing
// Bifrost keeps (its list leaves such providers out).
func (r *govResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.AtLeastOneOf(path.MatchRoot("budgets"), path.MatchRoot("rate_limit"))}
}

func (r *govResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"provider_name": identityschema.StringAttribute{RequiredForImport: true, Description: "The provider's name."},
		},
	}
}
