package provider

import (
	"os"
	"runtime/debug"
)

// Garbage collector settings of the provider process; see TuneGC.
const (
	gcPercent   = 400
	memoryLimit = 100 << 20 // bytes
)

// TuneGC lets the garbage collector run less often, unless GOGC or
// GOMEMLIMIT set it. The provider keeps little live memory but allocates a
// few megabytes per resource per plan while the framework converts values;
// with Go's default target the collector ran every few resources and took
// about a fifth of the CPU of a plan of hundreds of data products. The
// memory limit keeps the peak near 100 MiB all the same.
//
// Call it before serving; it changes this process only.
func TuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memoryLimit)
}
