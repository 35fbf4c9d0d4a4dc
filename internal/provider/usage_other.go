//go:build !unix

package provider

// processUsage is not measured outside Unix.
func processUsage() (cpuSeconds, maxRSSMiB float64) { return 0, 0 }
