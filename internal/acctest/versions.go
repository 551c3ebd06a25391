package acctest

import (
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// Versions are the emulator versions an acceptance test runs on with
// ForEachVersion (against a real server, every run uses it).
var Versions = []string{"v1.5.1", "v2.2.6"}

// ForEachVersion runs test as a subtest per version of Versions, each with
// its Target.
func ForEachVersion(t *testing.T, test func(t *testing.T, tg *Target)) {
	for _, v := range Versions {
		t.Run(v, func(t *testing.T) { test(t, New(t, emulator.Options{Version: v})) })
	}
}
