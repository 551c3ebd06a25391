package mcptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// stdioPackage is the command serving the test MCP server over stdio.
const stdioPackage = "github.com/maximhq/terraform-provider-bifrost/internal/mcptest/cmd/mcptest-stdio"

// BuildStdio builds the test MCP server's stdio command (package
// cmd/mcptest-stdio: the same tools, over stdin/stdout) into a directory
// removed at the end of the test, and returns the executable's absolute
// path. Run it with "-pidfile <path>" to learn its process id (see
// PIDFromFile and Running).
func BuildStdio(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mcptest-stdio")
	cmd := exec.Command("go", "build", "-o", bin, stdioPackage)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", stdioPackage, err, out)
	}
	return bin
}

// PIDFromFile is the process id the stdio command wrote with -pidfile, 0
// when the file is not (yet) there.
func PIDFromFile(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0
	}
	return pid
}

// Running reports whether the process pid exists (a zombie, ended but not
// yet waited for, counts as ended).
func Running(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil || p.Signal(syscall.Signal(0)) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: the signal answered
	}
	// The state follows the command name in parentheses: "pid (comm) S ...".
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}
