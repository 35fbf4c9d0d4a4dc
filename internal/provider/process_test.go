package provider

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
)

func TestTuneGC(t *testing.T) {
	restore := func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}
	t.Cleanup(restore)
	for _, tc := range []struct {
		name, gogc, gomemlimit string
		tuned                  bool
	}{
		{name: "no settings", tuned: true},
		{name: "GOGC set by the user", gogc: "50"},
		{name: "GOMEMLIMIT set by the user", gomemlimit: "1GiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			restore()
			t.Setenv("GOGC", tc.gogc)
			t.Setenv("GOMEMLIMIT", tc.gomemlimit)

			TuneGC()

			// SetGCPercent and SetMemoryLimit return the previous setting.
			percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
			if tc.tuned && (percent != gcPercent || limit != memoryFloor) {
				t.Errorf("GC percent %d, memory limit %d; want %d and %d", percent, limit, gcPercent, memoryFloor)
			}
			if !tc.tuned && (percent != 100 || limit != math.MaxInt64) {
				t.Errorf("GC percent %d, memory limit %d; want the runtime's settings left alone", percent, limit)
			}
		})
	}
}

// The soft memory limit follows the live heap, so that a large value never
// keeps the collector running back to back.
func TestMemoryLimitFollowsLiveHeap(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int64
	}{
		{0, memoryFloor},
		{10 << 20, memoryFloor},
		{memoryFloor / liveFactor, memoryFloor},
		{300 << 20, 600 << 20},
	} {
		if got := memoryLimitFor(tc.live); got != tc.want {
			t.Errorf("memoryLimitFor(%d) = %d, want %d", tc.live, got, tc.want)
		}
	}
}

func TestAfterEachGC(t *testing.T) {
	calls := make(chan struct{}, 10)
	afterEachGC(func() {
		select {
		case calls <- struct{}{}:
		default:
		}
	})
	for range 2 {
		runtime.GC()
		<-calls // blocks until the hook ran; the test times out otherwise
	}
}

func TestWriteStats(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(StatsDirEnv, dir)
	WriteStats()()
	data, err := os.ReadFile(filepath.Join(dir, strconv.Itoa(os.Getpid())+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var s ProcessStats
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if !s.Final || s.CPUSeconds <= 0 || (runtime.GOOS == "linux" && s.MaxRSSMiB <= 0) {
		t.Errorf("stats = %+v, want the final figures of a running process", s)
	}
}

func TestWriteStatsUnset(t *testing.T) {
	t.Setenv(StatsDirEnv, "")
	WriteStats()() // writes nothing, anywhere: no directory to write to
}
