package limits

import (
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

const durationHelp = "a Go duration (`30s`, `5m`, `1h30m`) or a number with `d` (days), `w` (weeks), " +
	"`M` (30 days) or `Y` (365 days), e.g. `1d`, `1.5d`, `1M`; greater than 0. Lower-case `m` is minutes"

func budgetAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"max_limit": schema.Float64Attribute{
			Required:            true,
			MarkdownDescription: "The most that may be spent per period, in dollars; greater than 0.",
			Validators:          []validator.Float64{PositiveMaxLimit()},
		},
		"reset_duration": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "How often the usage resets: " + durationHelp + ".",
			Validators:          []validator.String{Duration()},
		},
	}
}

// BudgetsAttribute is the `budgets` attribute of a resource: a set of
// budgets, unique by reset_duration (the server matches them by it and
// keeps the usage of a budget whose duration stays).
func BudgetsAttribute(description string) schema.SetNestedAttribute {
	return schema.SetNestedAttribute{
		Optional:            true,
		MarkdownDescription: description + " Budgets are matched by `reset_duration`: changing a budget's `max_limit` keeps its usage, changing its `reset_duration` replaces it (usage restarts at 0). Usage is shown by the data sources.",
		NestedObject:        schema.NestedAttributeObject{Attributes: budgetAttributes()},
		Validators:          []validator.Set{UniqueResetDurations()},
	}
}

// BudgetAttribute is a single `budget` attribute (a v1.5.1 customer's).
func BudgetAttribute(description string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: description + " Usage is shown by the data sources.",
		Attributes:          budgetAttributes(),
	}
}

// RateLimitAttribute is the `rate_limit` attribute of a resource.
func RateLimitAttribute(description string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: description + " Give `token_max_limit` with `token_reset_duration`, `request_max_limit` with `request_reset_duration`, or both pairs. Usage is shown by the data sources.",
		Attributes: map[string]schema.Attribute{
			"token_max_limit": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "The most tokens per period; greater than 0. Requires `token_reset_duration`.",
				Validators:          []validator.Int64{PositiveLimit()},
			},
			"token_reset_duration": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "How often the token count resets: " + durationHelp + ".",
				Validators:          []validator.String{Duration()},
			},
			"request_max_limit": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "The most requests per period; greater than 0. Requires `request_reset_duration`.",
				Validators:          []validator.Int64{PositiveLimit()},
			},
			"request_reset_duration": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "How often the request count resets: " + durationHelp + ".",
				Validators:          []validator.String{Duration()},
			},
		},
		Validators: []validator.Object{RateLimitPairs()},
	}
}

func dataSourceBudgetAttributes() map[string]dschema.Attribute {
	return map[string]dschema.Attribute{
		"id":               dschema.StringAttribute{Computed: true, MarkdownDescription: "The budget's id."},
		"max_limit":        dschema.Float64Attribute{Computed: true, MarkdownDescription: "The most that may be spent per period, in dollars."},
		"reset_duration":   dschema.StringAttribute{Computed: true, MarkdownDescription: "How often the usage resets."},
		"current_usage":    dschema.Float64Attribute{Computed: true, MarkdownDescription: "What was spent since the last reset, in dollars."},
		"last_reset":       dschema.StringAttribute{Computed: true, MarkdownDescription: "When the usage last reset (RFC 3339)."},
		"calendar_aligned": dschema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the budget's own flag snaps resets to calendar boundaries (v1.5.1 team budgets)."},
	}
}

// DataSourceBudgetsAttribute is the `budgets` attribute of a data source,
// with usage.
func DataSourceBudgetsAttribute(description string) dschema.ListNestedAttribute {
	return dschema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: description,
		NestedObject:        dschema.NestedAttributeObject{Attributes: dataSourceBudgetAttributes()},
	}
}

// DataSourceRateLimitAttribute is the `rate_limit` attribute of a data
// source, with usage.
func DataSourceRateLimitAttribute(description string) dschema.SingleNestedAttribute {
	return dschema.SingleNestedAttribute{
		Computed:            true,
		MarkdownDescription: description,
		Attributes: map[string]dschema.Attribute{
			"id":                     dschema.StringAttribute{Computed: true, MarkdownDescription: "The rate limit's id."},
			"token_max_limit":        dschema.Int64Attribute{Computed: true, MarkdownDescription: "The most tokens per period."},
			"token_reset_duration":   dschema.StringAttribute{Computed: true, MarkdownDescription: "How often the token count resets."},
			"token_current_usage":    dschema.Int64Attribute{Computed: true, MarkdownDescription: "Tokens used since the last reset."},
			"token_last_reset":       dschema.StringAttribute{Computed: true, MarkdownDescription: "When the token count last reset (RFC 3339)."},
			"request_max_limit":      dschema.Int64Attribute{Computed: true, MarkdownDescription: "The most requests per period."},
			"request_reset_duration": dschema.StringAttribute{Computed: true, MarkdownDescription: "How often the request count resets."},
			"request_current_usage":  dschema.Int64Attribute{Computed: true, MarkdownDescription: "Requests made since the last reset."},
			"request_last_reset":     dschema.StringAttribute{Computed: true, MarkdownDescription: "When the request count last reset (RFC 3339)."},
		},
	}
}
