// Package tfvalidate builds the provider's attribute validators: a string
// validator from a description and a check of the value, so that each rule
// is written once, without the boilerplate of a validator type.
package tfvalidate

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// String is a validator described by description (also its Markdown
// description) that calls check with the value and path of each known,
// non-null value: check adds its diagnostics to diags.
func String(description string, check func(value string, p path.Path, diags *diag.Diagnostics)) validator.String {
	return stringValidator{description: description, check: check}
}

type stringValidator struct {
	description string
	check       func(value string, p path.Path, diags *diag.Diagnostics)
}

func (v stringValidator) Description(context.Context) string { return v.description }

func (v stringValidator) MarkdownDescription(context.Context) string { return v.description }

func (v stringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(req.ConfigValue.ValueString(), req.Path, &resp.Diagnostics)
}

// NonEmpty refuses "" for the attribute attr (Bifrost answers a 400, or a
// 500 that hides the cause): hint says what to do instead.
func NonEmpty(attr, hint string) validator.String {
	return String("a non-empty string", func(value string, p path.Path, diags *diag.Diagnostics) {
		if value == "" {
			diags.AddAttributeError(p, "Empty "+attr, attr+" is \"\": "+hint)
		}
	})
}

// providerNameDescription is what ProviderName accepts.
const providerNameDescription = "a provider name: letters, digits, '_', '.', '-', starting with a letter or digit, at most 64 characters"

// ProviderName checks the form of a provider name (bifrost.ProviderNamePattern),
// not its membership of the built-in list: custom providers have any name.
// where (e.g. " in provider_configs") and example complete the message.
func ProviderName(where, example string) validator.String {
	return String(providerNameDescription, func(value string, p path.Path, diags *diag.Diagnostics) {
		if !bifrost.ProviderNamePattern.MatchString(value) {
			diags.AddAttributeError(p, "Invalid provider name",
				fmt.Sprintf("%q is not a valid provider name%s: expected %s (e.g. %s).", value, where, providerNameDescription, example))
		}
	})
}
