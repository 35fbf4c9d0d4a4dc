package provider

import (
	"os"
	"testing"
)

func TestSilenceLogsTerraformDiscards(t *testing.T) {
	for _, tc := range []struct {
		name, tfLog, tfLogProvider string
		silenced                   bool
	}{
		{name: "no logging asked for", silenced: true},
		{name: "logging switched off", tfLog: "off", silenced: true},
		{name: "TF_LOG", tfLog: "TRACE"},
		{name: "TF_LOG=JSON", tfLog: "JSON"},
		{name: "TF_LOG_PROVIDER", tfLogProvider: "DEBUG"},
		{name: "providers off, core on", tfLog: "TRACE", tfLogProvider: "OFF", silenced: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TF_LOG", tc.tfLog)
			t.Setenv("TF_LOG_PROVIDER", tc.tfLogProvider)
			// A level the user chose for the framework stays when Terraform shows it.
			t.Setenv("TF_LOG_SDK_FRAMEWORK", "INFO")
			for _, env := range providerLogLevelEnv {
				if env != "TF_LOG_SDK_FRAMEWORK" {
					t.Setenv(env, "")
				}
			}

			SilenceLogsTerraformDiscards()

			for _, env := range providerLogLevelEnv {
				got := os.Getenv(env)
				switch {
				case tc.silenced && got != "OFF":
					t.Errorf("%s = %q, want OFF: Terraform discards the provider's logs", env, got)
				case !tc.silenced && env == "TF_LOG_SDK_FRAMEWORK" && got != "INFO":
					t.Errorf("%s = %q, want the user's INFO", env, got)
				case !tc.silenced && env != "TF_LOG_SDK_FRAMEWORK" && got != "":
					t.Errorf("%s = %q, want it left unset", env, got)
				}
			}
		})
	}
}
