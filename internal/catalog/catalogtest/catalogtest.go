// Package catalogtest imports the sandbox's demo tenant in the shape the
// catalog's tests and the data sources' acceptance tests expect, once per
// sandbox, so that all of them can assert exact names and counts.
package catalogtest

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
)

// Fixture names the two integrations that imported the demo tenant:
//
//	Finance (owner team "finance"): workspaces "Finance*", i.e. Finance and Finance Sandbox
//	Sales   (owner team "sales"):   workspaces "Sales Analytics" and "Marketing"
//
// Supply Chain is left for tests that import it themselves; the demo
// principal cannot see HR Confidential. Assets are keyed by their Power BI
// ids, so two integrations importing the same workspace would take the
// assets from each other: tests that share a sandbox with a Fixture must
// import no workspace but Supply Chain, or nothing at all.
type Fixture struct {
	Finance, Sales string
}

var (
	mu       sync.Mutex
	fixtures = map[*sandbox.Sandbox]*fixtureOnce{}
)

type fixtureOnce struct {
	once sync.Once
	f    Fixture
	err  error
}

// Import imports the Fixture into sb on first use and returns it.
func Import(t testing.TB, sb *sandbox.Sandbox) Fixture {
	t.Helper()
	mu.Lock()
	fo := fixtures[sb]
	if fo == nil {
		fo = &fixtureOnce{}
		fixtures[sb] = fo
	}
	mu.Unlock()
	fo.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		fo.f = Fixture{Finance: acctest.Unique("finance"), Sales: acctest.Unique("sales")}
		if _, err := sb.Ingest(ctx, fo.f.Finance, "finance", Workspaces("Finance*")); err != nil {
			fo.err = err
			return
		}
		_, fo.err = sb.Ingest(ctx, fo.f.Sales, "sales", Workspaces("Sales Analytics", "Marketing"))
	})
	if fo.err != nil {
		t.Fatalf("import the catalog fixture: %v", fo.err)
	}
	return fo.f
}

// Workspaces are integration filters that import these workspaces.
func Workspaces(include ...string) powerbi.Filters {
	return powerbi.Filters{Workspaces: powerbi.Filter{Include: include}}
}

// ExpectNames checks that the list attribute of a list data source holds
// items with exactly these names, in this order.
func ExpectNames(address, list string, names ...string) statecheck.StateCheck {
	items := make([]knownvalue.Check, len(names))
	for i, n := range names {
		items[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact(n)})
	}
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(list), knownvalue.ListExact(items))
}

// ErrorMatching matches an error output containing these texts in order,
// however Terraform wraps its lines.
func ErrorMatching(texts ...string) *regexp.Regexp {
	quoted := make([]string, len(texts))
	for i, t := range texts {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(t)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// ListCase is one block of a list data source, with its filters, and the
// names it must list, in order.
type ListCase struct {
	Label   string
	Filters map[string]string // attribute name -> value
	Want    []string
}

// Case is a ListCase.
func Case(label string, filters map[string]string, want ...string) ListCase {
	return ListCase{Label: label, Filters: filters, Want: want}
}

// ListStep reads the list data source dataSource (whose items are in the
// attribute list) once per case in one configuration against sb, and
// checks every case's names, plus the extra checks. The blocks are
// data.<dataSource>.<label>.
func ListStep(sb *sandbox.Sandbox, dataSource, list string, cases []ListCase, extra ...statecheck.StateCheck) resource.TestStep {
	var hcl strings.Builder
	hcl.WriteString(acctest.ProviderConfig(sb))
	var checks []statecheck.StateCheck
	for _, c := range cases {
		fmt.Fprintf(&hcl, "data %q %q {\n", dataSource, c.Label)
		for _, name := range slices.Sorted(maps.Keys(c.Filters)) {
			fmt.Fprintf(&hcl, "  %s = %q\n", name, c.Filters[name])
		}
		hcl.WriteString("}\n")
		checks = append(checks, ExpectNames("data."+dataSource+"."+c.Label, list, c.Want...))
	}
	return resource.TestStep{Config: hcl.String(), ConfigStateChecks: append(checks, extra...)}
}
