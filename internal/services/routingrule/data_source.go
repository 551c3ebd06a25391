package routingrule

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

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

// flattenData flattens a rule for the data sources.
func flattenData(r *bifrost.RoutingRule) (ruleModel, diag.Diagnostics) {
	return flattenRule(r, ruleModel{})
}

// NewDataSource returns the bifrost_routing_rule data source.
func NewDataSource() datasource.DataSource {
	return &governance.OneDataSource[bifrost.RoutingRule, ruleModel]{
		Kind: kind, TypeSuffix: "_routing_rule", Attributes: dataAttributes, Flatten: governance.Plain(flattenData),
		Description:   "Reads one Bifrost routing rule, by id or by name.",
		IDDescription: "The id of the rule to read.",
		NameDescription: "The name of the rule to read: an error when several rules " +
			"have it (names repeat among global rules and across scopes).",
	}
}

// NewRoutingRulesDataSource returns the bifrost_routing_rules data source.
func NewRoutingRulesDataSource() datasource.DataSource {
	return &governance.ManyDataSource[bifrost.RoutingRule, ruleModel]{
		Kind: kind, TypeSuffix: "_routing_rules", Flatten: governance.Plain(flattenData),
		Description: "Lists the Bifrost routing rules, optionally those of one scope or whose name matches a regular expression.",
		Filters: map[string]schema.StringAttribute{
			"scope":    {Optional: true, MarkdownDescription: "Keep only the rules of this scope (`global`, `team`, `customer`, `virtual_key`)."},
			"scope_id": {Optional: true, MarkdownDescription: "Keep only the rules of this team, customer or virtual key id."},
		},
		Keep: func(f map[string]types.String) func(*bifrost.RoutingRule) bool {
			return ofScope(f["scope"].ValueString(), f["scope_id"].ValueString())
		},
		List: "rules", Selected: "rules", ListDescription: "The selected rules, in Bifrost's order.",
		Element: dataAttributes(
			schema.StringAttribute{Computed: true, MarkdownDescription: "The rule's id."},
			schema.StringAttribute{Computed: true, MarkdownDescription: "The rule's name."},
		),
	}
}

// ofScope keeps the rules of scope and scopeID ("" for any).
func ofScope(scope, scopeID string) func(*bifrost.RoutingRule) bool {
	return func(r *bifrost.RoutingRule) bool {
		return (scope == "" || r.Scope == scope) && (scopeID == "" || r.ScopeIDValue() == scopeID)
	}
}
