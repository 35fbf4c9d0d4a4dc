//go:build unix

package provider

import "syscall"

// processUsage returns the process's CPU seconds (user and system) and its
// peak resident memory in MiB.
func processUsage() (cpuSeconds, maxRSSMiB float64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	// ru_maxrss is in KiB on Linux (bytes on macOS; the bench runs on Linux).
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9, float64(ru.Maxrss) / 1024
}
