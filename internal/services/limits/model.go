// Package limits is the one place of the budgets and rate limits every
// governance resource owns (virtual keys and their provider configs, teams,
// customers, and later model configs and provider governance): their
// Terraform schema, model, plan-time validation, and conversion to and from
// the wire types of package bifrost.
//
// Resources hold only what the user configures (max limits and reset
// durations): usage figures change with traffic and would show as drift,
// so they appear only in data sources (DataSource* builders, *Usage
// models).
package limits

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// BudgetModel is one budget of a resource: a spending limit in dollars per
// reset period.
type BudgetModel struct {
	MaxLimit      types.Float64 `tfsdk:"max_limit"`
	ResetDuration types.String  `tfsdk:"reset_duration"`
}

// RateLimitModel is the rate limit of a resource: a token and/or a request
// limit, each with its reset period.
type RateLimitModel struct {
	TokenMaxLimit        types.Int64  `tfsdk:"token_max_limit"`
	TokenResetDuration   types.String `tfsdk:"token_reset_duration"`
	RequestMaxLimit      types.Int64  `tfsdk:"request_max_limit"`
	RequestResetDuration types.String `tfsdk:"request_reset_duration"`
}

// BudgetUsageModel is one budget as a data source shows it, with its usage.
type BudgetUsageModel struct {
	ID              types.String  `tfsdk:"id"`
	MaxLimit        types.Float64 `tfsdk:"max_limit"`
	ResetDuration   types.String  `tfsdk:"reset_duration"`
	CurrentUsage    types.Float64 `tfsdk:"current_usage"`
	LastReset       types.String  `tfsdk:"last_reset"`
	CalendarAligned types.Bool    `tfsdk:"calendar_aligned"`
}

// RateLimitUsageModel is a rate limit as a data source shows it, with its
// usage.
type RateLimitUsageModel struct {
	ID                   types.String `tfsdk:"id"`
	TokenMaxLimit        types.Int64  `tfsdk:"token_max_limit"`
	TokenResetDuration   types.String `tfsdk:"token_reset_duration"`
	TokenCurrentUsage    types.Int64  `tfsdk:"token_current_usage"`
	TokenLastReset       types.String `tfsdk:"token_last_reset"`
	RequestMaxLimit      types.Int64  `tfsdk:"request_max_limit"`
	RequestResetDuration types.String `tfsdk:"request_reset_duration"`
	RequestCurrentUsage  types.Int64  `tfsdk:"request_current_usage"`
	RequestLastReset     types.String `tfsdk:"request_last_reset"`
}

// BudgetAttrTypes are the attribute types of a BudgetModel object.
func BudgetAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{"max_limit": types.Float64Type, "reset_duration": types.StringType}
}

// BudgetType is the object type of one budget.
func BudgetType() types.ObjectType { return types.ObjectType{AttrTypes: BudgetAttrTypes()} }

// RateLimitAttrTypes are the attribute types of a RateLimitModel object.
func RateLimitAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"token_max_limit": types.Int64Type, "token_reset_duration": types.StringType,
		"request_max_limit": types.Int64Type, "request_reset_duration": types.StringType,
	}
}

// BudgetUsageAttrTypes are the attribute types of a BudgetUsageModel.
func BudgetUsageAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "max_limit": types.Float64Type, "reset_duration": types.StringType,
		"current_usage": types.Float64Type, "last_reset": types.StringType, "calendar_aligned": types.BoolType,
	}
}

// BudgetUsageType is the object type of one budget of a data source.
func BudgetUsageType() types.ObjectType { return types.ObjectType{AttrTypes: BudgetUsageAttrTypes()} }

// RateLimitUsageAttrTypes are the attribute types of a RateLimitUsageModel.
func RateLimitUsageAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "token_max_limit": types.Int64Type, "token_reset_duration": types.StringType,
		"token_current_usage": types.Int64Type, "token_last_reset": types.StringType,
		"request_max_limit": types.Int64Type, "request_reset_duration": types.StringType,
		"request_current_usage": types.Int64Type, "request_last_reset": types.StringType,
	}
}
