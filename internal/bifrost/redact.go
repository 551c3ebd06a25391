package bifrost

import "strings"

// maskStars is the number of '*' Bifrost puts between the first and last four
// characters of a redacted secret.
const maskStars = 24

// Mask returns the redaction Bifrost applies to a secret in every response:
// "" stays "", a value of 8 characters or fewer becomes that many '*', and a
// longer value becomes its first 4 characters, 24 '*' and its last 4.
// Lengths are counted in bytes, as the server does.
func Mask(value string) string {
	switch {
	case value == "":
		return ""
	case len(value) <= 8:
		return strings.Repeat("*", len(value))
	default:
		return value[:4] + strings.Repeat("*", maskStars) + value[len(value)-4:]
	}
}

// IsPlaceholder reports whether s is a redaction that hides the whole value,
// "<REDACTED>" or "[REDACTED]" in any case (newer Bifrost versions answer it
// for proxy passwords and certificates). It tells nothing about the value.
func IsPlaceholder(s string) bool {
	return strings.EqualFold(s, "<redacted>") || strings.EqualFold(s, "[redacted]")
}

// LooksRedacted reports whether s has the form of a Bifrost redaction: all
// '*' (8 or fewer), the 4+24+4 pattern, or a placeholder.
func LooksRedacted(s string) bool {
	switch {
	case s == "":
		return false
	case IsPlaceholder(s):
		return true
	case len(s) <= 8:
		return strings.Trim(s, "*") == ""
	case len(s) == 8+maskStars:
		return s[4:4+maskStars] == strings.Repeat("*", maskStars)
	}
	return false
}
