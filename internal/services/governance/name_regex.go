package governance

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
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
func RegexpValidator() validator.String {
	return tfvalidate.String("an RE2 regular expression", func(s string, p path.Path, diags *diag.Diagnostics) {
		if _, err := regexp.Compile(s); err != nil {
			diags.AddAttributeError(p, "Invalid regular expression", err.Error())
		}
	})
}
