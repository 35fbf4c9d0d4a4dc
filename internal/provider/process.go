package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"time"
)

// gcPercent is the garbage collector's target of the provider process; see TuneGC.
const gcPercent = 400

// TuneGC lets the garbage collector run less often, unless GOGC or
// GOMEMLIMIT set it. The provider keeps little live memory but allocates a
// few megabytes per resource per plan while the framework converts values;
// with Go's default target the collector ran every few resources and took
// about a fifth of the CPU of a plan of hundreds of data products.
//
// There is deliberately no memory limit: a soft limit below the live heap
// of a large data source read (the whole catalog of a big tenant) made the
// collector run back to back, five times the CPU of the read itself. Users
// who need a ceiling set GOMEMLIMIT.
//
// Call it before serving; it changes this process only.
func TuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(gcPercent)
}

// ProfileEnv, set to 1 beside StatsDirEnv, also writes a CPU profile
// (<pid>.cpu.pprof) and, at the end, a heap profile (<pid>.heap.pprof).
const ProfileEnv = "ENTROPYDATA_PROVIDER_PROFILE"

// StatsDirEnv names a directory into which the provider process writes its
// CPU and garbage collector figures (<pid>.json), for `make bench`; unset,
// nothing is written.
const StatsDirEnv = "ENTROPYDATA_PROVIDER_STATS_DIR"

// ProcessStats is what a provider process writes into StatsDirEnv.
type ProcessStats struct {
	// CPUSeconds is the process's user and system time (getrusage).
	CPUSeconds float64 `json:"cpu_seconds"`
	// GCCPUSeconds is the runtime's estimate of the CPU spent collecting
	// garbage, and RuntimeCPUSeconds its estimate of all the CPU the process
	// used, to compare it with (both from runtime/metrics).
	GCCPUSeconds      float64 `json:"gc_cpu_seconds"`
	RuntimeCPUSeconds float64 `json:"runtime_cpu_seconds"`
	// MaxRSSMiB is the peak resident memory.
	MaxRSSMiB float64 `json:"max_rss_mib"`
	// Final is set when the process wrote the figures as it ended.
	Final bool `json:"final"`
}

// WriteStats starts writing the process's figures into StatsDirEnv, if set,
// every statsInterval, and returns the function that writes them a last time.
// Terraform may end a provider without waiting, so the figures are written
// while it runs, not only at the end.
func WriteStats() (final func()) {
	dir := os.Getenv(StatsDirEnv)
	if dir == "" {
		return func() {}
	}
	base := filepath.Join(dir, strconv.Itoa(os.Getpid()))
	file := base + ".json"
	stopProfile := func() {}
	if os.Getenv(ProfileEnv) == "1" {
		stopProfile = startProfile(base)
	}
	write := func(final bool) {
		s := readStats()
		s.Final = final
		data, err := json.Marshal(s)
		if err == nil {
			tmp := file + ".tmp"
			if os.WriteFile(tmp, data, 0o600) == nil {
				_ = os.Rename(tmp, file)
			}
		}
	}
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(statsInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				write(false)
			}
		}
	}()
	return func() {
		close(done)
		stopProfile()
		write(true)
	}
}

const statsInterval = 100 * time.Millisecond

// startProfile starts the CPU profile and returns what ends it and writes
// the heap profile.
func startProfile(base string) (stop func()) {
	cpu, err := os.Create(base + ".cpu.pprof")
	if err != nil || pprof.StartCPUProfile(cpu) != nil {
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = cpu.Close()
		if heap, err := os.Create(base + ".heap.pprof"); err == nil {
			_ = pprof.WriteHeapProfile(heap)
			_ = heap.Close()
		}
	}
}

func readStats() ProcessStats {
	var s ProcessStats
	s.CPUSeconds, s.MaxRSSMiB = processUsage()
	samples := []metrics.Sample{
		{Name: "/cpu/classes/gc/total:cpu-seconds"},
		{Name: "/cpu/classes/total:cpu-seconds"},
		{Name: "/cpu/classes/idle:cpu-seconds"},
	}
	metrics.Read(samples)
	f := func(i int) float64 {
		if samples[i].Value.Kind() == metrics.KindFloat64 {
			return samples[i].Value.Float64()
		}
		return 0
	}
	s.GCCPUSeconds, s.RuntimeCPUSeconds = f(0), f(1)-f(2)
	return s
}
