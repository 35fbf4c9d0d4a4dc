package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"time"
)

// Garbage collector settings of the provider process; see TuneGC.
const (
	gcPercent = 400
	// memoryFloor is the soft memory limit while the live heap is small.
	memoryFloor = 64 << 20 // bytes
	// liveFactor: the limit is never below this multiple of the live heap,
	// so the collector never runs more often than with Go's default GOGC=100.
	liveFactor = 2
)

// TuneGC tunes the garbage collector, unless GOGC or GOMEMLIMIT set it.
//
// The provider keeps little live memory but allocates a few megabytes per
// resource per plan while the framework converts values; with Go's default
// target the collector ran every few resources and took about a fifth of
// the CPU of a plan of hundreds of data products. So the target is GOGC=400,
// capped by a soft memory limit (memoryFloor) that keeps a plan's peak low.
//
// A fixed limit thrashes when the live heap outgrows it (reading a whole
// large catalog once made the collector run back to back, five times the
// CPU of the read), so after every collection the limit moves to at least
// liveFactor times the live heap: large values cost memory, not a
// collector that never stops.
//
// Call it before serving; it changes this process only.
func TuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memoryFloor)
	afterEachGC(func() { debug.SetMemoryLimit(memoryLimitFor(liveHeap())) })
}

// memoryLimitFor is the soft memory limit for a live heap of this size.
func memoryLimitFor(live uint64) int64 {
	return max(memoryFloor, int64(live)*liveFactor)
}

func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// afterEachGC calls fn after every garbage collection, from the finalizer
// goroutine: a sentinel object becomes unreachable at each cycle and re-arms.
// It is 32 bytes so that it is not a tiny allocation, whose finalizer may
// never run.
func afterEachGC(fn func()) {
	sentinel := new([32]byte)
	runtime.SetFinalizer(sentinel, func(*[32]byte) {
		fn()
		afterEachGC(fn)
	})
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
