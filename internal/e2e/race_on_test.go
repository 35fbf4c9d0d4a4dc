//go:build race

package e2e

// raceEnabled reports that this test binary runs with the race detector,
// so the provider binary it starts is built with it too.
const raceEnabled = true
