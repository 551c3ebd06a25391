package routingrule

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (r *ruleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Bifrost routing rule (`/api/governance/routing-rules`): a CEL expression matched against each request, " +
			"weighted targets (provider, model, provider key) and fallbacks, in a scope (global, or one team, customer or virtual key) " +
			"at a priority unique in that scope.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The rule's id, chosen by Bifrost.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The rule's name. Bifrost keeps names unique within a team, customer or virtual key scope " +
					"(checked at plan time), not among global rules.",
			},
			"description": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "A free-form description (default `\"\"`).",
			},
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether the rule is evaluated (default `true`).",
			},
			"chain_rule": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "After this rule matches and rewrites the target, evaluate the rules again with the new provider and model " +
					"(bounded by the server's `routing_chain_max_depth`). Default `false`.",
			},
			"cel_expression": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The [CEL](https://cel.dev) condition of the rule, e.g. `model == \"gpt-4o\" && headers[\"x-tier\"] == \"premium\"`; " +
					"`true` matches every request. Its syntax is checked at plan time (Bifrost v1.5.1 stores an invalid expression, which never " +
					"matches; v2 refuses it). Variables: `model`, `provider`, `request_type`, `headers`, `params`, `virtual_key_id`, " +
					"`virtual_key_name`, `team_id`, `team_name`, `customer_id`, `customer_name`, `tokens_used`, `request`, `budget_used`.",
			},
			"targets": schema.ListNestedAttribute{
				Required: true,
				MarkdownDescription: "Where a matching request goes: one target is chosen at random by weight. At least one; weights are " +
					"positive and sum to 1 (± 0.001); no two targets are the same (provider and model compared case-insensitively).",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"provider": schema.StringAttribute{Optional: true, MarkdownDescription: "The provider to send the request to; omit to keep the request's own."},
					"model":    schema.StringAttribute{Optional: true, MarkdownDescription: "The model to use; omit to keep the request's own."},
					"key_id": schema.StringAttribute{Optional: true, MarkdownDescription: "The id of a key of `provider` to use " +
						"(e.g. `bifrost_provider_key.primary.id`); needs `provider`. Checked at plan time when known."},
					"weight": schema.Float64Attribute{Required: true, MarkdownDescription: "The share of matching requests sent to this target (> 0)."},
				}},
			},
			"fallbacks": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Where to go, in order, when the chosen target fails: `\"provider/model\"`, or `\"provider/\"` for the " +
					"request's model on another provider. The provider must be one of Bifrost's built-in providers (those new in v2 are " +
					"refused by a v1.5.1 server, checked at plan time).",
			},
			"scope": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("global"),
				MarkdownDescription: "Which requests the rule applies to: `global` (default), or those of one `team`, `customer` or `virtual_key` " +
					"(named by `scope_id`). Scopes are evaluated virtual_key, team, customer, then global; changing it updates the rule in place.",
			},
			"scope_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The id of the team, customer or virtual key of the scope (e.g. `bifrost_team.platform.id`); required " +
					"unless the scope is global, and not allowed then. Checked at plan time when known (Bifrost v1.5.1 accepts an unknown id; the rule never applies).",
			},
			"priority": schema.Int64Attribute{
				Required: true,
				MarkdownDescription: "The rule's rank within its scope: lower first. Unique in a scope: Bifrost refuses a second rule at a taken " +
					"priority (checked at plan time against the rules Bifrost has; two new rules of this configuration at one priority fail at apply).",
			},
		},
	}
}

func (r *ruleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true, Description: "The routing rule's id."},
		},
	}
}
