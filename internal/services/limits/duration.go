package limits

import (
	"fmt"
	"time"
)

// ParseDuration parses a reset duration exactly as Bifrost v1.5.1 does
// (framework/configstore/tables/utils.go, ParseDuration; called by
// TableBudget.BeforeSave in framework/configstore/tables/budget.go of
// nagyist/ai-bifrost at upstream 4257b65): a Go duration ("30s", "5m",
// "1h30m"), or a number of days, weeks, months or years with the suffix
// d, w, M (30 days) or Y (365 days), whose number part is parsed as a Go
// duration in hours (so "1.5d" is 36h, "1M" is 720h). Newer servers also
// read "daily", "weekly", "monthly" and "yearly"; v1.5.1 does not, so they
// are refused here. Bifrost also requires the duration to be greater than
// 0, which ParseDuration does not check (Valid does).
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("duration is empty")
	}
	factor := map[byte]int64{'d': 24, 'w': 24 * 7, 'M': 24 * 30, 'Y': 24 * 365}[s[len(s)-1]]
	if factor == 0 {
		return time.ParseDuration(s)
	}
	d, err := time.ParseDuration(s[:len(s)-1] + "h")
	if err != nil {
		return 0, fmt.Errorf("invalid duration: %s", s)
	}
	// The number part was read as hours: scale it as Bifrost does (d * 24,
	// w * 24 * 7, …), wrapping around on overflow as it does.
	return time.Duration(int64(d) * factor), nil
}

// ValidDuration reports whether Bifrost accepts s as a reset duration:
// ParseDuration reads it and it is greater than 0.
func ValidDuration(s string) bool {
	d, err := ParseDuration(s)
	return err == nil && d > 0
}
