package virtualkey

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

const v2Only = " Needs Bifrost ≥ 2.0: refused at plan time against an older server."

func allSet() types.Set {
	return types.SetValueMust(types.StringType, []attr.Value{types.StringValue("*")})
}

func (r *vkResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Bifrost virtual key: the credential an application uses to call Bifrost, with the providers, " +
			"models and provider keys it may use, its budgets and rate limits, and its owner (a team or a customer).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The virtual key's id, chosen by Bifrost (a UUID).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The virtual key's name, unique in Bifrost. Renaming keeps the key (and its value).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "A free-text description. Defaults to `\"\"`.",
			},
			"is_active": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether Bifrost accepts the key. Defaults to `true`.",
			},
			"team_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The id of the team that owns the key (`bifrost_team.x.id`). Conflicts with `customer_id`; with neither, the key has no owner.",
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.ConflictsWith(path.MatchRoot("customer_id")),
				},
			},
			"customer_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The id of the customer that owns the key (`bifrost_customer.x.id`). Conflicts with `team_id`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"calendar_aligned": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Snap the resets of the key's `d`/`w`/`M`/`Y` budgets to UTC calendar boundaries. Defaults to `false`.",
			},
			"budgets":    limits.BudgetsAttribute("The key's budgets, in dollars per period."),
			"rate_limit": limits.RateLimitAttribute("The key's rate limit."),
			"provider_configs": schema.MapNestedAttribute{
				Optional: true,
				MarkdownDescription: "The providers the key may use, keyed by Bifrost provider name (e.g. `openai`). " +
					"Without any, the key may use no provider. Each config keeps its id (and its budgets' usage) across updates.",
				Validators: []validator.Map{mapvalidator.KeysAre(providerNameKey)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"config_id": schema.Int64Attribute{
						Computed:            true,
						MarkdownDescription: "The provider config's id in Bifrost (kept across updates).",
						PlanModifiers:       []planmodifier.Int64{keepConfigID{}},
					},
					"weight": schema.Float64Attribute{
						Optional:            true,
						MarkdownDescription: "The provider's weight in weighted routing; unset: excluded from weighted routing.",
					},
					"allowed_models": schema.SetAttribute{
						ElementType: types.StringType, Optional: true, Computed: true, Default: setdefault.StaticValue(allSet()),
						MarkdownDescription: "The models the key may use with this provider: `[\"*\"]` (the default) for all, `[]` for none " +
							"(Bifrost's own default is none).",
						Validators: []validator.Set{whitelist()},
					},
					"key_ids": schema.SetAttribute{
						ElementType: types.StringType, Optional: true, Computed: true, Default: setdefault.StaticValue(allSet()),
						MarkdownDescription: "The provider keys the key may use (`bifrost_provider_key.x.id`): `[\"*\"]` (the default) for all, " +
							"`[]` for none. Always sent on update (Bifrost denies every key when it is left out).",
						Validators: []validator.Set{whitelist()},
					},
					"blacklisted_models": schema.SetAttribute{
						ElementType: types.StringType, Optional: true,
						MarkdownDescription: "Models denied even when allowed (`[\"*\"]` blocks all)." + v2Only,
					},
					"budgets":    limits.BudgetsAttribute("The provider config's budgets."),
					"rate_limit": limits.RateLimitAttribute("The provider config's rate limit."),
				}},
			},
			"mcp_configs": schema.MapNestedAttribute{
				Optional: true,
				MarkdownDescription: "The MCP clients whose tools the key may execute, keyed by MCP client name (as configured in Bifrost). " +
					"Like `provider_configs`, the map is the whole list: without it the key has no MCP client, and an assignment " +
					"made outside Terraform shows as a change and is removed by the next apply. Each config keeps its id across updates. " +
					"The client must exist in Bifrost (Bifrost answers `failed to get MCP client: not found` at apply otherwise); " +
					"Bifrost creates an MCP client only when it can connect to its server.",
				Validators: []validator.Map{mapvalidator.KeysAre(mcpClientNameKey)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"config_id": schema.Int64Attribute{
						Computed:            true,
						MarkdownDescription: "The MCP config's id in Bifrost (kept across updates).",
						PlanModifiers:       []planmodifier.Int64{keepConfigID{}},
					},
					"tools_to_execute": schema.SetAttribute{
						ElementType: types.StringType, Optional: true, Computed: true, Default: setdefault.StaticValue(allSet()),
						MarkdownDescription: "The client's tools the key may execute: `[\"*\"]` (the default) for all, `[]` for none " +
							"(Bifrost's own default is none).",
						Validators: []validator.Set{whitelist()},
					},
				}},
			},
			"value": schema.StringAttribute{
				Computed: true, Sensitive: true,
				MarkdownDescription: "The virtual key's secret (`sk-bf-…`), chosen by Bifrost. A rotation made outside Terraform shows as a change of " +
					"`value` on the next plan. Null when `store_value` is `false`: read it with the `bifrost_virtual_key` ephemeral resource instead.",
			},
			"store_value": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether `value` is kept in the Terraform state (default `true`). With `false`, `value` is always null and the " +
					"secret never enters the state or the plan: hand it to a vault or an application with the `bifrost_virtual_key` ephemeral " +
					"resource (Terraform ≥ 1.10). An out-of-band rotation is then reported as a warning on refresh instead of a change of `value`.",
			},
			"expires_at": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "When the key stops working, an RFC 3339 time in the future (e.g. `2030-01-01T00:00:00Z`)." + v2Only,
				Validators:          []validator.String{expiresAt},
			},
			"rotation_trigger": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Any string: changing it to a new value rotates the key (Bifrost gives it a new `value`; with " +
					"`client_config.vk_rotation_cooldown` the old value keeps working for that long). Setting it when the key is created does not rotate." + v2Only,
			},
		},
	}
}

func (r *vkResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true, Description: "The virtual key's id."},
		},
	}
}

// keepConfigID plans a provider config's config_id as the state's when the
// config exists in state (its id is kept by updates), and leaves it
// unknown for a new config. int64planmodifier.UseStateForUnknown would
// plan a new map element's id as null: it only checks that the resource
// has a state, not that the element has one.
type keepConfigID struct{}

func (keepConfigID) Description(context.Context) string {
	return "the config's id in state, unknown for a new config"
}

func (m keepConfigID) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (keepConfigID) PlanModifyInt64(_ context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || !req.PlanValue.IsUnknown() {
		return
	}
	resp.PlanValue = req.StateValue
}
