package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	goversion "github.com/hashicorp/go-version"
)

// terraformPath is the CLI the tests run: TF_ACC_TERRAFORM_PATH when set (as
// for terraform-plugin-testing, so CI runs these tests on every supported
// Terraform and OpenTofu), otherwise the terraform on PATH.
func terraformPath() string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	return "terraform"
}

var (
	versionOnce sync.Once
	cliVersion  *goversion.Version
	cliIsTofu   bool
	versionErr  error
)

// requireTerraform skips the test, with the reason, unless the CLI is
// Terraform (not OpenTofu) at least.
func requireTerraform(t *testing.T, least, why string) {
	t.Helper()
	loadVersion(t)
	if cliIsTofu {
		t.Skipf("needs Terraform %s or later (%s); this is OpenTofu %s", least, why, cliVersion)
	}
	requireVersion(t, least, why)
}

// requireVersion skips the test, with the reason, unless the CLI (Terraform
// or OpenTofu) is at least.
func requireVersion(t *testing.T, least, why string) {
	t.Helper()
	loadVersion(t)
	if cliVersion.LessThan(goversion.Must(goversion.NewVersion(least))) {
		t.Skipf("needs Terraform %s or later (%s); %s is %s (CI runs it with the newer binaries)", least, why, terraformPath(), cliVersion)
	}
}

// below reports whether the CLI is older than v.
func below(t *testing.T, v string) bool {
	t.Helper()
	loadVersion(t)
	return cliVersion.LessThan(goversion.Must(goversion.NewVersion(v)))
}

func loadVersion(t *testing.T) {
	t.Helper()
	versionOnce.Do(func() {
		out, err := exec.Command(terraformPath(), "version", "-json").Output()
		if err != nil {
			versionErr = err
			return
		}
		var v struct {
			Version string `json:"terraform_version"`
		}
		// OpenTofu may print warnings (e.g. a missing CLI config file) first.
		if i := strings.IndexByte(string(out), '{'); i > 0 {
			out = out[i:]
		}
		if versionErr = json.Unmarshal(out, &v); versionErr != nil {
			return
		}
		cliVersion, versionErr = goversion.NewVersion(v.Version)
		// OpenTofu answers the same JSON; its binary says so in plain `version`.
		plain, _ := exec.Command(terraformPath(), "version").Output()
		cliIsTofu = strings.Contains(string(plain), "OpenTofu")
	})
	if versionErr != nil {
		t.Fatalf("%s version: %v", terraformPath(), versionErr)
	}
}
