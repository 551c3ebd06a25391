package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestReadUsage(t *testing.T) {
	dir := t.TempDir()
	if u, n, err := readUsage(dir); err != nil || u.peakRSS != -1 || u.cpu != 0 || n != 0 {
		t.Errorf("empty folder: %+v, %d, %v", u, n, err)
	}
	for pid, u := range map[int]procUsage{
		101: {peakRSS: 30 << 20, cpu: time.Second},
		102: {peakRSS: 45 << 20, cpu: 3 * time.Second},
		103: {peakRSS: 12 << 20, cpu: 500 * time.Millisecond},
	} {
		if err := writeUsage(dir, pid, u); err != nil {
			t.Fatal(err)
		}
	}
	u, n, err := readUsage(dir)
	if err != nil || u.peakRSS != 45<<20 || u.cpu != 4500*time.Millisecond || n != 3 {
		t.Errorf("readUsage = %+v, %d, %v; want peak %d, CPU 4.5s, 3 processes", u, n, err, 45<<20)
	}
}

// A peak that was not measured (outside Linux) stays unknown.
func TestReadUsageUnmeasured(t *testing.T) {
	dir := t.TempDir()
	if err := writeUsage(dir, 7, procUsage{peakRSS: -1, cpu: time.Second}); err != nil {
		t.Fatal(err)
	}
	if u, n, err := readUsage(dir); err != nil || u.peakRSS != -1 || n != 1 {
		t.Errorf("readUsage = %+v, %d, %v; want an unknown peak", u, n, err)
	}
}

// The wrapper's child gets the environment without the wrapper's own
// variables, so that this executable, started as the child to serve the
// framework floor, does not wrap again; everything else reaches it.
func TestWrapperChildEnvironment(t *testing.T) {
	if got := childEnv([]string{"A=1", envWrapProvider + "=/x", envWrapUsageDir + "=/u", envServeFrameworkFloor + "=1", "B=="}); !slices.Equal(got,
		[]string{"A=1", envServeFrameworkFloor + "=1", "B=="}) {
		t.Errorf("childEnv = %q", got)
	}

	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir, usage := t.TempDir(), t.TempDir()
	out := filepath.Join(dir, "env")
	t.Setenv(envWrapProvider, sh)
	t.Setenv(envWrapUsageDir, usage)
	t.Setenv(envServeFrameworkFloor, "1")
	code := runWrapper(sh, usage, []string{"-c", `printf '%s|%s|%s' "$` + envWrapProvider + `" "$` + envWrapUsageDir + `" "$` +
		envServeFrameworkFloor + `" > "$0"; exit 3`, out})
	if code != 3 {
		t.Errorf("wrapper exit code %d, want the child's (3)", code)
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "||1" {
		t.Errorf("the child saw %q (%v), want the wrapper's variables unset and the floor's set (\"||1\")", b, err)
	}
	if _, n, err := readUsage(usage); err != nil || n != 1 {
		t.Errorf("the wrapper recorded %d usages (%v), want 1", n, err)
	}
}
