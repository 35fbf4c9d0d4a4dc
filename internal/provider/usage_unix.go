//go:build unix

package provider

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// processUsage returns the process's CPU seconds (user and system) and its
// peak resident memory in MiB.
func processUsage() (cpuSeconds, maxRSSMiB float64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	cpuSeconds = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
	// ru_maxrss survives exec on Linux, so it would report Terraform's own
	// peak when Terraform is larger; VmHWM is this program's.
	if kib, ok := vmHWM(); ok {
		return cpuSeconds, kib / 1024
	}
	return cpuSeconds, float64(ru.Maxrss) / 1024
}

// vmHWM reads the peak resident memory (KiB) from /proc/self/status.
func vmHWM() (float64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kib, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kib, err == nil
		}
	}
	return 0, false
}
