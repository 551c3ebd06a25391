package limits

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

// Duration validates a reset duration as Bifrost parses it (ParseDuration)
// and requires it greater than 0.
func Duration() validator.String {
	return tfvalidate.String("a reset duration: a Go duration (30s, 5m, 1h30m) or a number with d (days), w (weeks), M (30 days) or Y (365 days), greater than 0",
		checkDuration)
}

func checkDuration(s string, p path.Path, diags *diag.Diagnostics) {
	d, err := ParseDuration(s)
	switch {
	case err != nil:
		diags.AddAttributeError(p, "Invalid reset duration",
			fmt.Sprintf("%q is not a duration Bifrost reads: expected a Go duration (\"30s\", \"5m\", \"1h30m\") or a number "+
				"followed by d (days), w (weeks), M (30 days) or Y (365 days), e.g. \"1d\", \"1.5d\", \"1M\" "+
				"(lower-case m is minutes; no spaces, no words such as \"monthly\").", s))
	case d <= 0:
		diags.AddAttributeError(p, "Invalid reset duration",
			fmt.Sprintf("%q is %s: Bifrost needs a reset duration greater than 0, e.g. \"1h\", \"1d\" or \"1M\".", s, d))
	}
}

// PositiveMaxLimit requires a budget's max_limit greater than 0 (Bifrost
// refuses 0 with a 500 on v1.5.1, and a negative one with a 400).
func PositiveMaxLimit() validator.Float64 { return positiveFloat{} }

type positiveFloat struct{}

func (positiveFloat) Description(context.Context) string { return "a number greater than 0" }

func (v positiveFloat) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (positiveFloat) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if f := req.ConfigValue.ValueFloat64(); !(f > 0) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid budget max_limit",
			fmt.Sprintf("max_limit is %s: a budget's max_limit is an amount in dollars greater than 0 (e.g. 100 or 0.5). "+
				"To have no budget, remove it.", strconv.FormatFloat(f, 'g', -1, 64)))
	}
}

// PositiveLimit requires a rate limit's max limit greater than 0.
func PositiveLimit() validator.Int64 { return positiveInt{} }

type positiveInt struct{}

func (positiveInt) Description(context.Context) string { return "a whole number greater than 0" }

func (v positiveInt) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (positiveInt) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := req.ConfigValue.ValueInt64(); n <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid rate limit",
			fmt.Sprintf("%s is %d: a rate limit's max limit is a whole number greater than 0. "+
				"To have no limit of this kind, remove it with its reset duration.", lastName(req.Path), n))
	}
}

// RateLimitPairs requires each half of a rate limit (token, request) to be
// given with its reset duration, and at least one half.
func RateLimitPairs() validator.Object { return rateLimitPairs{} }

type rateLimitPairs struct{}

func (rateLimitPairs) Description(context.Context) string {
	return "token_max_limit with token_reset_duration, request_max_limit with request_reset_duration, at least one pair"
}

func (v rateLimitPairs) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (rateLimitPairs) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var m RateLimitModel
	if d := req.ConfigValue.As(ctx, &m, objectAsOptions); d.HasError() {
		resp.Diagnostics.Append(d...)
		return
	}
	unknown := false
	for _, half := range []struct {
		name string
		max  types.Int64
		dur  types.String
	}{{"token", m.TokenMaxLimit, m.TokenResetDuration}, {"request", m.RequestMaxLimit, m.RequestResetDuration}} {
		if half.max.IsUnknown() || half.dur.IsUnknown() {
			unknown = true
			continue
		}
		maxName, durName := half.name+"_max_limit", half.name+"_reset_duration"
		switch {
		case !half.max.IsNull() && half.dur.IsNull():
			resp.Diagnostics.AddAttributeError(req.Path.AtName(durName), "Missing rate limit reset duration",
				fmt.Sprintf("%s is %d but %s is not set: Bifrost needs each limit with its reset duration "+
					"(e.g. %s = \"1h\"). Set %s, or remove %s.", maxName, half.max.ValueInt64(), durName, durName, durName, maxName))
		case half.max.IsNull() && !half.dur.IsNull():
			resp.Diagnostics.AddAttributeError(req.Path.AtName(maxName), "Missing rate limit max limit",
				fmt.Sprintf("%s is %q but %s is not set: a reset duration limits nothing without its max limit. "+
					"Set %s, or remove %s.", durName, half.dur.ValueString(), maxName, maxName, durName))
		}
	}
	if !unknown && m.TokenMaxLimit.IsNull() && m.TokenResetDuration.IsNull() && m.RequestMaxLimit.IsNull() && m.RequestResetDuration.IsNull() {
		resp.Diagnostics.AddAttributeError(req.Path, "Empty rate limit",
			"rate_limit sets no limit: give token_max_limit with token_reset_duration, request_max_limit with "+
				"request_reset_duration, or both; to have no rate limit, remove rate_limit.")
	}
}

// UniqueResetDurations requires the budgets of a set to have different
// reset durations (Bifrost matches budgets by it and refuses duplicates).
func UniqueResetDurations() validator.Set { return uniqueDurations{} }

type uniqueDurations struct{}

func (uniqueDurations) Description(context.Context) string {
	return "budgets with different reset_duration values"
}

func (v uniqueDurations) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (uniqueDurations) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	seen := map[string]bool{}
	for _, elem := range req.ConfigValue.Elements() {
		obj, ok := elem.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		d, ok := obj.Attributes()["reset_duration"].(types.String)
		if !ok || d.IsNull() || d.IsUnknown() {
			continue
		}
		if seen[d.ValueString()] {
			resp.Diagnostics.AddAttributeError(req.Path.AtSetValue(elem).AtName("reset_duration"), "Duplicate budget reset duration",
				fmt.Sprintf("Two budgets have reset_duration %q: each budget of one owner needs its own reset_duration "+
					"(Bifrost matches budgets by it). Merge them, or give one another duration.", d.ValueString()))
		}
		seen[d.ValueString()] = true
	}
}

// lastName is the attribute name that ends p, for messages.
func lastName(p path.Path) string {
	steps := p.Steps()
	if len(steps) == 0 {
		return "value"
	}
	if name, ok := steps[len(steps)-1].(path.PathStepAttributeName); ok {
		return string(name)
	}
	return p.String()
}
