package provider

import (
	"os"
	"strings"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// Environment variables that set the levels of the provider process's
// loggers (terraform-plugin-go, -framework and this provider's own).
var providerLogLevelEnv = []string{
	"TF_LOG_SDK",
	"TF_LOG_SDK_PROTO",
	"TF_LOG_SDK_FRAMEWORK",
	"TF_LOG_PROVIDER_ENTROPYDATA",
	entropydata.LogLevelEnv,
}

// SilenceLogsTerraformDiscards switches the provider's loggers off when
// Terraform will discard what they write. Terraform shows provider logs only
// when TF_LOG_PROVIDER or TF_LOG is set, but a provider logs at TRACE by
// default and Terraform reads and parses every line before dropping it. The
// framework writes several lines per attribute per request, which made a plan
// of a few hundred data products several times slower for nothing.
//
// Call it before serving, and not in debug mode (where the process's own
// stderr shows the logs); it only changes this process's environment.
func SilenceLogsTerraformDiscards() {
	level := os.Getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = os.Getenv("TF_LOG")
	}
	if level != "" && !strings.EqualFold(level, "off") {
		return
	}
	for _, env := range providerLogLevelEnv {
		_ = os.Setenv(env, "OFF")
	}
}
