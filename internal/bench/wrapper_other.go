//go:build !linux

package bench

import (
	"os"
	"syscall"
)

// childAttr needs nothing special outside Linux.
func childAttr() *syscall.SysProcAttr { return nil }

// maxRSS is not measured outside Linux: the benchmark reports "n/a".
func maxRSS(*os.ProcessState) (int64, bool) { return 0, false }
