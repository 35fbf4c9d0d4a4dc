// Package acctest starts the sandbox for acceptance tests and connects the
// provider to it, so every test drives the real terraform binary against an
// emulated Entropy Data, Entra ID and Power BI, offline and in-process.
package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/provider"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

var (
	shared     *sandbox.Sandbox
	sharedErr  error
	sharedOnce sync.Once
)

// Sandbox returns the sandbox shared by the tests of one package, started
// on first use. Tests share it, so each uses its own ids (see Unique).
func Sandbox(t testing.TB) *sandbox.Sandbox {
	t.Helper()
	sharedOnce.Do(func() {
		shared, sharedErr = sandbox.Start(sandbox.Options{ScheduleTick: -1})
	})
	if sharedErr != nil {
		t.Fatalf("start sandbox: %v", sharedErr)
	}
	return shared
}

// StartSandbox starts a sandbox of the test's own, for tests that change
// its behaviour (faults, disabled features); it stops with the test.
func StartSandbox(t testing.TB, opts sandbox.Options) *sandbox.Sandbox {
	t.Helper()
	if opts.ScheduleTick == 0 {
		opts.ScheduleTick = -1
	}
	sb, err := sandbox.Start(opts)
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}

// ProviderFactories serves the provider in-process, trusting sb's
// certificates, with any further options (such as provider.WithClock).
func ProviderFactories(sb *sandbox.Sandbox, opts ...provider.Option) map[string]func() (tfprotov6.ProviderServer, error) {
	opts = append([]provider.Option{provider.WithHTTPClient(sb.HTTPClient())}, opts...)
	return map[string]func() (tfprotov6.ProviderServer, error){
		"entropydata": providerserver.NewProtocol6WithError(provider.New("acctest", opts...)()),
	}
}

// Clock is a settable clock for the provider and the sandbox, so tests move
// time instead of sleeping.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// ProviderConfig is a provider block pointing at sb. Extra lines (such as
// max_retries = 0) go inside the block.
func ProviderConfig(sb *sandbox.Sandbox, extra ...string) string {
	return fmt.Sprintf(`
provider "entropydata" {
  host                 = %q
  api_key              = %q
  entra_authority_host = %q
  powerbi_endpoint     = %q
  %s
}
`, sb.APIURL, sb.APIKey, sb.AuthorityHost, sb.PowerBIEndpoint, strings.Join(extra, "\n  "))
}

// PreCheck skips nothing: the sandbox makes every acceptance test runnable
// offline. It only insists on TF_ACC so plain `go test` stays fast.
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (make test)")
	}
}

// Unique returns prefix plus a random suffix, a valid external id.
func Unique(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// Demo service principal of the sandbox tenant.
const (
	TenantID     = tenant.DemoTenantID
	ClientID     = tenant.DemoClientID
	ClientSecret = tenant.DemoClientSecret
)

// Ingest imports the demo tenant's workspaces matching the include patterns
// through a new integration of its own (owner team "finance"), so a test
// has assets to look up. It returns the integration's external id.
func Ingest(t testing.TB, sb *sandbox.Sandbox, workspaces ...string) string {
	t.Helper()
	id := Unique("ingest")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := sb.Ingest(ctx, id, "finance", powerbi.Filters{Workspaces: powerbi.Filter{Include: workspaces}}); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return id
}

// ListBlock is a `list` block of a terraform query file (Terraform 1.14+)
// for the list resource typ, with include_resource and the given lines of
// its config block.
func ListBlock(typ, name, config string) string {
	return fmt.Sprintf(`
list %q %q {
  provider         = entropydata
  include_resource = true
  config {
    %s
  }
}
`, typ, name, config)
}
