package governance

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// NameRegexDescription is the description of a name_regex attribute that
// selects among plural ("teams").
func NameRegexDescription(plural string) string {
	return "Keep only the " + plural + " whose name matches this regular expression ([RE2 syntax](https://golang.org/s/re2syntax), unanchored)."
}

// Filter keeps the objects of all that keep keeps (nil: all) whose name
// matches nameRegex ("" for any), in their order.
func (k Kind[T]) Filter(all []T, nameRegex string, keep func(*T) bool) ([]T, error) {
	var re *regexp.Regexp
	if nameRegex != "" {
		var err error
		if re, err = regexp.Compile(nameRegex); err != nil {
			return nil, err
		}
	}
	out := make([]T, 0, len(all))
	for i := range all {
		if (keep == nil || keep(&all[i])) && (re == nil || re.MatchString(k.Name(&all[i]))) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// RegexpValidator checks, at plan time, that a name_regex compiles: the
// error is "Invalid regular expression".
func RegexpValidator() validator.String { return regexpValidator{} }

type regexpValidator struct{}

func (regexpValidator) Description(context.Context) string { return "an RE2 regular expression" }

func (v regexpValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexpValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression", err.Error())
	}
}
