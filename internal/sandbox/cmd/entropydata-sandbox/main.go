// Command entropydata-sandbox runs the offline emulator of Entropy Data,
// Microsoft Entra ID and Power BI on loopback, and prints the environment a
// shell needs to point the provider at it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "entropydata-sandbox:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		opts      sandbox.Options
		tenantSel string
		envFile   string
	)
	flag.StringVar(&opts.APIAddr, "api-addr", "127.0.0.1:0", "listen address of the Entropy Data API")
	flag.StringVar(&opts.EntraAddr, "entra-addr", "127.0.0.1:0", "listen address of Microsoft Entra ID")
	flag.StringVar(&opts.PowerBIAddr, "powerbi-addr", "127.0.0.1:0", "listen address of the Power BI REST API")
	flag.StringVar(&opts.Dir, "dir", ".sandbox", "directory for the CA certificate (ca.pem)")
	flag.StringVar(&opts.StateFile, "state-file", "", "keep the Entropy Data state in this file across restarts")
	flag.StringVar(&opts.Faults, "faults", os.Getenv("ENTROPY_SANDBOX_FAULTS"), "fault rules (see internal/sandbox/faults), also from ENTROPY_SANDBOX_FAULTS")
	flag.IntVar(&opts.PageSize, "page-size", 0, "page size of Entropy Data lists (0 = the API's 1000)")
	flag.BoolVar(&opts.IngestionsDisabled, "ingestions-disabled", false, "answer like a server without APPLICATION_INGESTIONS_ENABLED=true")
	flag.BoolVar(&opts.DeleteAssetsInUse, "delete-assets-in-use", false, "delete an integration's assets (deleteAssets=true) even while data products use them")
	flag.BoolVar(&opts.IntegrationsReadOnly, "integrations-read-only", false, "serve the integrations API read-and-run only (PUT/DELETE answer 405), as the public docs describe it")
	flag.BoolVar(&opts.DataProductsODPS, "odps", false, "answer data products in ODPS (a DPS body is stored converted to ODPS)")
	flag.BoolVar(&opts.AssetExtraProperties, "asset-extra-properties", false, "answer assets with properties the API document does not list")
	flag.DurationVar(&opts.ScheduleTick, "schedule-tick", 0, "how often scheduled runs are checked (default 30s; negative = never)")
	flag.StringVar(&tenantSel, "tenant", "demo", `Power BI tenant: "demo", or "large" (thousands of assets, for scale tests)`)
	flag.StringVar(&envFile, "env-file", "", "also write the shell exports to this file (for scripts)")
	flag.Parse()

	switch tenantSel {
	case "demo":
	case "large":
		opts.Tenant = tenant.Generate(tenant.GenerateOptions{})
	default:
		return fmt.Errorf("unknown -tenant %q: use demo or large", tenantSel)
	}

	sb, err := sandbox.Start(opts)
	if err != nil {
		return err
	}
	exports := sb.Exports()
	if envFile != "" {
		if err := os.WriteFile(envFile, []byte(exports), 0o600); err != nil {
			_ = sb.Close()
			return err
		}
	}
	fmt.Printf(`Entropy Data sandbox is running.

  Entropy Data API  %s   (API keys: %s = organization owner, %s = team "finance")
  Entra ID          %s
  Power BI          %s

  CA certificate    %s

Point a shell in any directory at it (the TF_VAR_ values are the demo tenant's service
principal; ENTROPY_DATA_CA_CERT_FILE makes the provider trust the sandbox's certificates,
like ca_cert_file in the provider block):

%s
Stop it with Ctrl-C.
`, sb.APIURL, sb.APIKey, sb.TeamAPIKey, sb.AuthorityHost, sb.PowerBIEndpoint, sb.CAFile, exports)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	fmt.Println("stopping the sandbox")
	return sb.Close()
}
