package routingrule

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var (
	_ datasource.DataSourceWithConfigure        = (*ruleDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*ruleDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*rulesDataSource)(nil)
)

func ruleAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "name": types.StringType, "description": types.StringType, "enabled": types.BoolType,
		"chain_rule": types.BoolType, "cel_expression": types.StringType, "targets": types.ListType{ElemType: targetType()},
		"fallbacks": types.ListType{ElemType: types.StringType}, "scope": types.StringType, "scope_id": types.StringType, "priority": types.Int64Type,
	}
}

// dataAttributes are the attributes of a rule in the data sources; id and
// name are given (they differ between the single and the plural one).
func dataAttributes(id, name schema.StringAttribute) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":             id,
		"name":           name,
		"description":    schema.StringAttribute{Computed: true, MarkdownDescription: "The rule's description."},
		"enabled":        schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the rule is evaluated."},
		"chain_rule":     schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the rules are evaluated again after this one matches."},
		"cel_expression": schema.StringAttribute{Computed: true, MarkdownDescription: "The rule's CEL condition."},
		"targets": schema.ListNestedAttribute{
			Computed: true, MarkdownDescription: "The weighted targets.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"provider": schema.StringAttribute{Computed: true, MarkdownDescription: "The provider; null for the request's own."},
				"model":    schema.StringAttribute{Computed: true, MarkdownDescription: "The model; null for the request's own."},
				"key_id":   schema.StringAttribute{Computed: true, MarkdownDescription: "The provider key id, if any."},
				"weight":   schema.Float64Attribute{Computed: true, MarkdownDescription: "The target's share."},
			}},
		},
		"fallbacks": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The fallbacks, in order; null when none."},
		"scope":     schema.StringAttribute{Computed: true, MarkdownDescription: "`global`, `team`, `customer` or `virtual_key`."},
		"scope_id":  schema.StringAttribute{Computed: true, MarkdownDescription: "The id of the scope's team, customer or virtual key; null for global rules."},
		"priority":  schema.Int64Attribute{Computed: true, MarkdownDescription: "The rule's rank in its scope (lower first)."},
	}
}

type ruleDataSource struct {
	client *bifrost.Client
}

// NewDataSource returns the bifrost_routing_rule data source.
func NewDataSource() datasource.DataSource { return &ruleDataSource{} }

func (d *ruleDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_routing_rule"
}

func (d *ruleDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Bifrost routing rule, by id or by name.",
		Attributes: dataAttributes(
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The id of the rule to read. Exactly one of `id` and `name` must be set."},
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The name of the rule to read: an error when several rules " +
				"have it (names repeat among global rules and across scopes). Exactly one of `id` and `name` must be set."},
		),
	}
}

func (d *ruleDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return governance.IDOrName()
}

func (d *ruleDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *ruleDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg ruleModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	found, diags := kind.Find(ctx, d.client, cfg.ID, cfg.Name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, diags := flattenRule(found, ruleModel{})
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

type rulesDataSource struct {
	client *bifrost.Client
}

// NewRoutingRulesDataSource returns the bifrost_routing_rules data source.
func NewRoutingRulesDataSource() datasource.DataSource { return &rulesDataSource{} }

type rulesDataModel struct {
	Scope     types.String `tfsdk:"scope"`
	ScopeID   types.String `tfsdk:"scope_id"`
	NameRegex types.String `tfsdk:"name_regex"`
	Rules     types.List   `tfsdk:"rules"`
	IDs       []string     `tfsdk:"ids"`
}

func (d *rulesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_routing_rules"
}

func (d *rulesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Bifrost routing rules, optionally those of one scope or whose name matches a regular expression.",
		Attributes: map[string]schema.Attribute{
			"scope":      schema.StringAttribute{Optional: true, MarkdownDescription: "Keep only the rules of this scope (`global`, `team`, `customer`, `virtual_key`)."},
			"scope_id":   schema.StringAttribute{Optional: true, MarkdownDescription: "Keep only the rules of this team, customer or virtual key id."},
			"name_regex": governance.NameRegexDataAttribute("routing rules"),
			"rules": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The selected rules, in Bifrost's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: dataAttributes(
					schema.StringAttribute{Computed: true, MarkdownDescription: "The rule's id."},
					schema.StringAttribute{Computed: true, MarkdownDescription: "The rule's name."},
				)},
			},
			"ids": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The ids of the selected rules, in the order of `rules`."},
		},
	}
}

func (d *rulesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *rulesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m rulesDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	rules, diags := kind.Select(ctx, d.client, m.NameRegex.ValueString(), ofScope(m.Scope.ValueString(), m.ScopeID.ValueString()))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Rules, m.IDs, diags = governance.ObjectList(ctx, kind, rules, ruleAttrTypes(), func(r *bifrost.RoutingRule) (ruleModel, diag.Diagnostics) {
		return flattenRule(r, ruleModel{})
	})
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// ofScope keeps the rules of scope and scopeID ("" for any).
func ofScope(scope, scopeID string) func(*bifrost.RoutingRule) bool {
	return func(r *bifrost.RoutingRule) bool {
		return (scope == "" || r.Scope == scope) && (scopeID == "" || r.ScopeIDValue() == scopeID)
	}
}
