package bench

import (
	"slices"
	"testing"
)

func TestTerraformEnv(t *testing.T) {
	environ := []string{"PATH=/bin", "TF_LOG=trace", "TF_CLI_ARGS_apply=-refresh=false", "CHECKPOINT_DISABLE=",
		"BIFROST_ENDPOINT=https://prod", "BIFROST_TOKEN=t", "BIFROST_BENCH_RSS_DIR=/old", "HOME=/root"}
	got := terraformEnv(environ, true, "TF_INPUT=0")
	if want := []string{"PATH=/bin", "HOME=/root", "TF_INPUT=0"}; !slices.Equal(got, want) {
		t.Errorf("against the emulator: %q, want %q", got, want)
	}
	got = terraformEnv(environ, false)
	if want := []string{"PATH=/bin", "BIFROST_ENDPOINT=https://prod", "BIFROST_TOKEN=t", "HOME=/root"}; !slices.Equal(got, want) {
		t.Errorf("against a real server: %q, want %q", got, want)
	}
}

func TestPhaseSummary(t *testing.T) {
	out := []byte("\nApply complete! Resources: 0 added, 500 changed, 0 destroyed.\n")
	if !phaseSummary(PhaseUpdate, 500).Match(out) {
		t.Error("update summary does not match Terraform's output")
	}
	if phaseSummary(PhaseUpdate, 50).Match(out) {
		t.Error("update summary for 50 keys matches the output of 500")
	}
	if !phaseSummary(PhaseDestroy, 3).Match([]byte("Destroy complete! Resources: 3 destroyed.")) {
		t.Error("destroy summary does not match")
	}
}
