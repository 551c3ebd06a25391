package bench

import (
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
