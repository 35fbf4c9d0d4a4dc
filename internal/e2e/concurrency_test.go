package e2e

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
)

var (
	raceBuildOnce sync.Once
	raceBinDir    string
	raceBuildErr  error
)

// raceProviderDir builds the provider with the race detector once per test
// process (the race-instrumented packages are already in the build cache
// when the tests run with -race) and returns the directory holding it.
func raceProviderDir(t *testing.T) string {
	t.Helper()
	providerDir(t) // skips without TF_ACC
	raceBuildOnce.Do(func() { raceBinDir, raceBuildErr = buildProvider("entropydata-e2e-race-bin-", "-race") })
	if raceBuildErr != nil {
		t.Fatal(raceBuildErr)
	}
	return raceBinDir
}

// useRaceProvider points the workspace's dev_overrides at the race-enabled
// build, and makes the provider exit at the first data race it sees, which
// Terraform reports as a crashed plugin.
func (w *workspace) useRaceProvider(dir string) {
	w.t.Helper()
	w.write(".terraformrc", fmt.Sprintf(`provider_installation {
  dev_overrides {
    "entropy-data/entropydata" = %q
  }
  direct {}
}
`, dir))
	w.setEnv("GORACE", "halt_on_error=1 exitcode=66")
}

// An integration and 24 data products with lineage between them, applied,
// refreshed and destroyed by the real provider binary with -parallelism=20:
// the refresh and the plan touch all 25 at once, the first wave of the
// apply creates 15 (the integration, 13 model and one report product) and
// the other 10 reports follow their models. Nothing fails, the state
// matches the sandbox exactly, and the plan afterwards is empty. Under
// `go test -race` the apply runs a race-enabled provider binary that exits
// at the first data race (so concurrent use of one provider process's
// clients is checked, not only the sandbox's handlers); E2E_RACE_PROVIDER=0
// turns that off.
func TestConcurrentApply(t *testing.T) {
	requireVersion(t, "1.11.0", "write-only client_secret_wo")
	t.Parallel()
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	imported := importDemoTenant(t, sb)
	f := newFleet(t, sb, imported, "conc", 24)

	w := fleetWorkspace(t, sb)
	w.write("main.tf", f.config(sb))
	normal := w.read(".terraformrc")
	race := raceEnabled && os.Getenv("E2E_RACE_PROVIDER") != "0"
	if race {
		// Only for the apply, where the operations overlap most: a race-enabled
		// provider is several times slower.
		w.useRaceProvider(raceProviderDir(t))
	}
	out := w.timed("apply", "-auto-approve", "-input=false", "-parallelism=20")
	noCrash(t, out)
	if want := fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", len(f.products)+1); !strings.Contains(out, want) {
		t.Fatalf("want %q in the output:\n%s", want, tail(out, 4000))
	}
	if race {
		w.write(".terraformrc", normal)
	}
	verifyFleet(t, sb, w, f)
	expectEmptyPlan(t, w, "-parallelism=20")

	out = w.timed("destroy", "-auto-approve", "-input=false", "-parallelism=20")
	noCrash(t, out)
	if left := storedProducts(t, sb); len(left) != 0 {
		t.Errorf("data products left after destroy: %v", len(left))
	}
	for _, a := range sb.API.Accesses() {
		if strings.HasPrefix(a.Consumer.DataProductID, "conc-") && liveAgreement(a.Info.Status, a.Info.EndDate) {
			t.Errorf("agreement %s of %s is still live after destroy", a.ID, a.Consumer.DataProductID)
		}
	}
	if _, ok := sb.API.Integration(f.integration); ok {
		t.Errorf("the integration is still in the sandbox after destroy")
	}
}
