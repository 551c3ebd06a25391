package bench

import (
	"os"
	"syscall"
)

// childAttr makes the provider die with its wrapper, should Terraform kill
// the wrapper instead of stopping the provider over gRPC.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// maxRSS is the RSS high-water mark of an exited process, in bytes (Linux
// reports ru_maxrss in KiB).
func maxRSS(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return ru.Maxrss * 1024, true
}
