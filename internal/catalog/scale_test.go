package catalog_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Generated tenants (tenant.Generate): per workspace, 10 models of 4 tables
// and 20 reports, 71 assets once imported. Model j of workspace i is named
// "<subject> iii-jj", with subject "Revenue" for j = 1. The benchmark uses
// the default 100 workspaces (7,100 assets, 8 list pages of 1,000); the
// scaling test 30 (2,130 assets, 3 pages), which is quicker to import under
// the race detector and still makes every lookup walk several pages.
const (
	largeTablesPerModel = 4
	largeModelsPerWS    = 10
	largeReportsPerWS   = 20
	largeAssetsPageSize = 1000 // the API's page size
	scaleTestWorkspaces = 30
)

type generated struct {
	once sync.Once
	sb   *sandbox.Sandbox
	err  error
}

// generatedTenants are started on first use and live as long as the test binary.
var generatedTenants = map[int]*generated{0: {}, scaleTestWorkspaces: {}}

// generatedSandbox starts the sandbox with a generated tenant of this many
// workspaces (0: the default size) and imports all of it, once per test
// binary: that takes seconds.
func generatedSandbox(tb testing.TB, workspaces int) *sandbox.Sandbox {
	tb.Helper()
	g := generatedTenants[workspaces]
	g.once.Do(func() {
		g.sb, g.err = sandbox.Start(sandbox.Options{Tenant: tenant.Generate(tenant.GenerateOptions{Workspaces: workspaces}), ScheduleTick: -1})
		if g.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		_, g.err = g.sb.Ingest(ctx, "generated", "", powerbi.Filters{})
	})
	if g.err != nil {
		tb.Fatalf("generated sandbox: %v", g.err)
	}
	return g.sb
}

// apiRequests counts the Entropy Data API requests fn makes: all of them,
// and the asset list pages among them.
func apiRequests(sb *sandbox.Sandbox, fn func()) (total, pages int) {
	count := func() (all, list int) {
		counts := sb.Faults.Counts()
		for key, n := range counts {
			if _, path, _ := strings.Cut(key, " "); strings.HasPrefix(path, "/api/") {
				all += n
			}
		}
		return all, counts["GET /api/assets"]
	}
	t0, p0 := count()
	fn()
	t1, p1 := count()
	return t1 - t0, p1 - p0
}

type largeLookup struct {
	name    string
	reports bool
	q       catalog.Query
	matches int // expected results
	gets    int // expected GETs beyond the list pages
}

// largeLookups are the lookups the scaling test asserts and the benchmark
// times. Every model costs 1 GET (the model asset carries its tables' schema);
// every report 1 GET.
var largeLookups = []largeLookup{
	{"model/1 by name", false, catalog.Query{Name: "Revenue 023-01"}, 1, 1},
	{"model/9 by name pattern", false, catalog.Query{Name: "Revenue 00*"}, 9, 9},
	{"model/10 by name pattern", false, catalog.Query{Name: "revenue 01*"}, 10, 10},
	{"model/10 in one workspace", false, catalog.Query{Workspace: "Finance 001"}, largeModelsPerWS, largeModelsPerWS},
	{"model/1 by name in one workspace", false, catalog.Query{Workspace: "Finance 001", Name: "Revenue*"}, 1, 1},
	{"report/1 by name", true, catalog.Query{Name: "Revenue 023-01 Overview 1"}, 1, 1},
	{"report/20 in one workspace", true, catalog.Query{Workspace: "Sales 002"}, largeReportsPerWS, largeReportsPerWS},
}

func (l largeLookup) run(ctx context.Context, r *catalog.Reader) (int, error) {
	if l.reports {
		got, err := r.Reports(ctx, l.q)
		return len(got), err
	}
	got, err := r.SemanticModels(ctx, l.q)
	return len(got), err
}

// TestRequestsScaleWithMatches proves on a catalog of 2,130 assets that a
// lookup costs the list pages plus a constant per match: nothing grows with
// the models, tables or reports that do not match.
func TestRequestsScaleWithMatches(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a large tenant")
	}
	sb := generatedSandbox(t, scaleTestWorkspaces)
	assets := len(sb.API.Assets())
	pages := (assets + largeAssetsPageSize - 1) / largeAssetsPageSize
	r := reader(t, sb)
	for _, l := range largeLookups {
		var n int
		var err error
		total, listed := apiRequests(sb, func() { n, err = l.run(context.Background(), r) })
		if err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		t.Logf("%-34s %3d matches: %4d requests (%d list pages + %d GETs) on %d assets", l.name, n, total, listed, total-listed, assets)
		if n != l.matches {
			t.Errorf("%s: %d matches, want %d", l.name, n, l.matches)
		}
		// Pages are read ahead: up to AssetPagesAhead-1 requests beyond the
		// last, cancelled by the client but possibly counted by the server
		// only after the lookup returned, in the next lookup.
		ahead := 2 * (entropydata.AssetPagesAhead - 1)
		if listed < pages || listed > pages+ahead || total-listed != l.gets {
			t.Errorf("%s: %d requests (%d list pages), want %d pages (+ at most %d read ahead) + %d GETs", l.name, total, listed, pages, ahead, l.gets)
		}
	}
}

// BenchmarkSemanticModelsAndReports times filtered lookups on the large
// tenant and reports the Entropy Data API requests each makes.
func BenchmarkSemanticModelsAndReports(b *testing.B) {
	sb := generatedSandbox(b, 0)
	r := reader(b, sb)
	for _, l := range largeLookups {
		b.Run(strings.ReplaceAll(l.name, " ", "_"), func(b *testing.B) {
			var matches int
			requests, _ := apiRequests(sb, func() {
				for b.Loop() {
					var err error
					if matches, err = l.run(context.Background(), r); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(matches), "matches")
		})
	}
}
