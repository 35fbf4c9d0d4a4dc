// Package sandbox is the offline emulator of Entropy Data, Microsoft Entra ID
// and Power BI that the acceptance tests, `make demo` and users' own module
// tests run against. Each service gets its own HTTPS listener on loopback,
// all signed by one throw-away certificate authority:
//
//   - entropyapi: the Entropy Data REST API (integrations, runs, assets, data
//     products, access, teams, settings, test results);
//   - entra: the OpenID discovery and client-credentials token endpoints that
//     the real MSAL library accepts;
//   - powerbiapi: the Power BI REST API, including the admin scanner.
//
// An ingestion worker connects them: a run signs in with the integration's
// service principal, reads Power BI, and upserts assets, exactly like the
// server does. Fault injection (internal/sandbox/faults) wraps every surface.
package sandbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entra"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entropyapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/faults"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/powerbiapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
	"github.com/entropy-data/terraform-provider-entropydata/internal/transport"
)

// Default API keys of the sandbox.
const (
	DefaultAPIKey     = "sandbox-org-key"
	DefaultTeamAPIKey = "sandbox-finance-key" // scoped to the "finance" team
)

// scanPollInterval keeps the worker's scanner polling fast; the emulated
// scanner finishes after a poll or two.
const scanPollInterval = 50 * time.Millisecond

// Options configures a sandbox. The zero value is the demo tenant on random
// loopback ports.
type Options struct {
	// Tenant is the Microsoft tenant to emulate; nil means tenant.Default().
	Tenant *tenant.Tenant
	// PageSize of the Entropy Data lists; 0 means the API's default.
	PageSize int
	// IngestionsDisabled emulates a server without APPLICATION_INGESTIONS_ENABLED.
	IngestionsDisabled bool
	// IntegrationsReadOnly, DataProductsODPS and AssetExtraProperties switch
	// on the API dialects of the same names in entropyapi.Options.
	IntegrationsReadOnly, DataProductsODPS, AssetExtraProperties bool
	// RunStartDelay delays each ingestion run after it is triggered.
	RunStartDelay time.Duration
	// ScheduleTick is how often the scheduler looks for integrations whose
	// Quartz schedule is due; 0 means every 30 seconds, negative turns it off.
	ScheduleTick time.Duration
	// APIAddr, EntraAddr and PowerBIAddr are the listen addresses; empty
	// means 127.0.0.1 on a free port.
	APIAddr, EntraAddr, PowerBIAddr string
	// Dir receives the CA certificate (ca.pem); empty means a new temporary
	// directory, removed by Close.
	Dir string
	// StateFile, when set, is loaded at start (if it exists) and written by
	// Close, so the standalone sandbox keeps its Entropy Data state.
	StateFile string
	// Faults is a fault rule list in the faults package's text form.
	Faults string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// APIKey replaces DefaultAPIKey as the organization-owner key, e.g. so a
	// test can look for a unique value in logs.
	APIKey string
	// DeleteAssetsInUse makes deleting an integration with deleteAssets=true
	// delete its assets even while data products use them (by default the
	// sandbox refuses with 422; what the real server does is not documented).
	DeleteAssetsInUse bool
}

// Sandbox is a running emulator.
type Sandbox struct {
	// APIURL is the Entropy Data host (the provider's host / ENTROPY_DATA_HOST).
	APIURL string
	// AuthorityHost is the Entra ID authority host (entra_authority_host).
	AuthorityHost string
	// PowerBIEndpoint is the Power BI REST base URL (powerbi_endpoint).
	PowerBIEndpoint string
	// APIKey is an organization-owner key; TeamAPIKey is scoped to "finance".
	APIKey, TeamAPIKey string
	// CAFile is the absolute path of the certificate authority's PEM file,
	// for the provider's ca_cert_file (ENTROPY_DATA_CA_CERT_FILE).
	CAFile string

	Tenant  *tenant.Tenant
	API     *entropyapi.Server
	Entra   *entra.Server
	PowerBI *powerbiapi.Server
	Faults  *faults.Injector

	certs     *certificates
	servers   []*http.Server
	tempDir   string
	stateFile string
	stopSched context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// Start starts a sandbox. Close stops it.
func Start(opts Options) (*Sandbox, error) {
	certs, err := newCertificates()
	if err != nil {
		return nil, err
	}
	sb := &Sandbox{
		Tenant:     opts.Tenant,
		APIKey:     DefaultAPIKey,
		TeamAPIKey: DefaultTeamAPIKey,
		certs:      certs,
		stateFile:  opts.StateFile,
	}
	if sb.Tenant == nil {
		sb.Tenant = tenant.Default()
	}
	if opts.APIKey != "" {
		sb.APIKey = opts.APIKey
	}
	if err := sb.writeCA(opts.Dir); err != nil {
		return nil, err
	}

	sb.Faults = faults.NewInjector()
	if opts.Faults != "" {
		if err := sb.Faults.Parse(opts.Faults); err != nil {
			return nil, fmt.Errorf("sandbox faults: %w", err)
		}
	}

	// Listeners first: every surface needs the others' URLs.
	apiLn, err := listen(opts.APIAddr)
	if err != nil {
		return nil, err
	}
	entraLn, err := listen(opts.EntraAddr)
	if err != nil {
		return nil, err
	}
	pbiLn, err := listen(opts.PowerBIAddr)
	if err != nil {
		return nil, err
	}
	sb.APIURL = "https://" + apiLn.Addr().String()
	sb.AuthorityHost = "https://" + entraLn.Addr().String()
	sb.PowerBIEndpoint = "https://" + pbiLn.Addr().String() + "/v1.0/myorg"

	sb.Entra = entra.New(sb.Tenant)
	sb.PowerBI = powerbiapi.New(sb.Tenant, sb.Entra)
	w := &worker{authorityHost: sb.AuthorityHost, powerBI: sb.PowerBIEndpoint, httpClient: sb.HTTPClient()}
	sb.API = entropyapi.New(entropyapi.Options{
		APIKeys: map[string]entropyapi.Principal{
			sb.APIKey:     {Name: "sandbox organization owner", OrgOwner: true},
			sb.TeamAPIKey: {Name: "finance team key", Team: "finance"},
		},
		PageSize:               opts.PageSize,
		IngestionsDisabled:     opts.IngestionsDisabled,
		IntegrationsReadOnly:   opts.IntegrationsReadOnly,
		DataProductsODPS:       opts.DataProductsODPS,
		AssetExtraProperties:   opts.AssetExtraProperties,
		UniqueIntegrationNames: true,
		Now:                    opts.Now,
		Ingest:                 w.ingest,
		RunStartDelay:          opts.RunStartDelay,
		DeleteAssetsInUse:      opts.DeleteAssetsInUse,
	})
	w.api = sb.API
	if err := seed(sb.API, opts.IntegrationsReadOnly); err != nil {
		return nil, err
	}
	if err := sb.loadState(); err != nil {
		return nil, err
	}

	sb.serve(apiLn, sb.Faults.Middleware(faults.SurfaceEntropyData, sb.API))
	sb.serve(entraLn, sb.Faults.Middleware(faults.SurfaceEntra, sb.Entra))
	sb.serve(pbiLn, sb.Faults.Middleware(faults.SurfacePowerBI, sb.PowerBI))
	sb.startScheduler(opts.ScheduleTick, opts.Now)
	return sb, nil
}

func listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox listen on %s: %w", addr, err)
	}
	return ln, nil
}

func (sb *Sandbox) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietLog()}
	sb.servers = append(sb.servers, srv)
	tlsLn := tls.NewListener(ln, sb.certs.serverTLS())
	sb.wg.Add(1)
	go func() {
		defer sb.wg.Done()
		_ = srv.Serve(tlsLn)
	}()
}

func (sb *Sandbox) writeCA(dir string) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "entropydata-sandbox-")
		if err != nil {
			return err
		}
		dir, sb.tempDir = tmp, tmp
	}
	// Absolute, so the printed exports work from any directory.
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sb.CAFile = filepath.Join(dir, "ca.pem")
	return os.WriteFile(sb.CAFile, sb.certs.caPEM, 0o644)
}

// HTTPClient returns a client that trusts the sandbox's certificates (and
// only those), with the provider's transport otherwise.
func (sb *Sandbox) HTTPClient() *http.Client {
	return &http.Client{Transport: transport.New(transport.Options{RootCAs: sb.certs.pool})}
}

// Env lists the environment a shell or CI job needs to point the provider
// (and Terraform modules) at this sandbox.
func (sb *Sandbox) Env() [][2]string {
	return [][2]string{
		{"ENTROPY_DATA_HOST", sb.APIURL},
		{"ENTROPY_DATA_API_KEY", sb.APIKey},
		{"ENTROPY_DATA_ENTRA_AUTHORITY_HOST", sb.AuthorityHost},
		{"ENTROPY_DATA_POWERBI_ENDPOINT", sb.PowerBIEndpoint},
		// Not SSL_CERT_FILE: Go ignores it on macOS and Windows, and on
		// Linux it replaces the system's authorities for every program of
		// the shell (terraform init could no longer reach the registry).
		{"ENTROPY_DATA_CA_CERT_FILE", sb.CAFile},
		{"TF_VAR_powerbi_tenant_id", tenant.DemoTenantID},
		{"TF_VAR_powerbi_client_id", tenant.DemoClientID},
		{"TF_VAR_powerbi_client_secret", tenant.DemoClientSecret},
		// Read by the entropydata_powerbi_filter_preview data source.
		{"ENTROPY_DATA_POWERBI_CLIENT_SECRET", tenant.DemoClientSecret},
	}
}

// Exports renders Env as shell export lines.
func (sb *Sandbox) Exports() string {
	var b strings.Builder
	for _, kv := range sb.Env() {
		fmt.Fprintf(&b, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
	return b.String()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Close stops the servers and the scheduler, cancels running ingestion
// runs, and writes the state file when one is configured.
func (sb *Sandbox) Close() error {
	var err error
	sb.closeOnce.Do(func() {
		if sb.stopSched != nil {
			sb.stopSched()
		}
		sb.API.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, srv := range sb.servers {
			if e := srv.Shutdown(ctx); e != nil && !errors.Is(e, http.ErrServerClosed) {
				err = errors.Join(err, e)
			}
		}
		sb.wg.Wait()
		err = errors.Join(err, sb.saveState())
		if sb.tempDir != "" {
			_ = os.RemoveAll(sb.tempDir)
		}
	})
	return err
}
