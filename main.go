// Command terraform-provider-entropydata serves the Entropy Data provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/entropy-data/terraform-provider-entropydata/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if !debug {
		// In debug mode the provider's own terminal shows its logs.
		provider.SilenceLogsTerraformDiscards()
	}
	provider.TuneGC()
	writeStats := provider.WriteStats()
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/entropy-data/entropydata",
		Debug:   debug,
	})
	writeStats()
	if err != nil {
		log.Fatal(err.Error())
	}
}
