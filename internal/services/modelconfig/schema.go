// Package modelconfig implements the bifrost_model_config resource
// (model-level budgets and rate limit) and its data sources
// (bifrost_model_config, bifrost_model_configs).
package modelconfig

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

func (r *modelConfigResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Bifrost model config (`/api/governance/model-configs`): a budget and rate limit for one model, " +
			"on one provider or on all providers. It applies to every request for that model, whatever the virtual key; " +
			"`bifrost_provider_governance` limits a whole provider, `bifrost_virtual_key` one key's traffic. " +
			"A model config is unique by (`model_name`, `provider_name`). Usage figures are shown by the `bifrost_model_config` data source, never here.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The model config's id, chosen by Bifrost.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"model_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The model the limits apply to, as requests name it (e.g. `gpt-4o`). Changes in place.",
				Validators:          []validator.String{tfvalidate.NonEmpty("model_name", "Bifrost refuses a model config without a model name.")},
			},
			"provider_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The Bifrost provider the limits apply to (e.g. `openai`); omit it for the model on all providers. " +
					"Changing it changes the model config in place, but removing it replaces the model config: Bifrost cannot " +
					"set a model config back to all providers.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(providerRemoved,
					"Removing provider_name replaces the model config.", "Removing `provider_name` replaces the model config.")},
				Validators: []validator.String{tfvalidate.NonEmpty("provider_name", "To limit the model on all providers, remove provider_name.")},
			},
			"budgets": limits.BudgetsAttribute("The model's budgets. Bifrost v1.5.1 holds **one** budget per model config " +
				"(more is refused at plan time); Bifrost ≥ 2.0 holds several."),
			"rate_limit": limits.RateLimitAttribute("The model's rate limit. Bifrost replaces it as a whole on every update " +
				"(a half left out is dropped)."),
		},
	}
}

// providerRemoved: a provider set in the state and null in the plan.
func providerRemoved(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !req.StateValue.IsNull() && req.PlanValue.IsNull() && !req.ConfigValue.IsUnknown()
}

func (r *modelConfigResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"model_name":    identityschema.StringAttribute{RequiredForImport: true, Description: "The model config's model."},
			"provider_name": identityschema.StringAttribute{OptionalForImport: true, Description: "The model config's provider; null or \"\" for all providers."},
		},
	}
}
