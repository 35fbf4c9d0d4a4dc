package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// runActionConfig has two integrations, a good one (which also runs the
// action from its lifecycle when it changes) and one with a wrong secret, and
// an action for each.
func runActionConfig(description string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    entropydata = { source = "entropy-data/entropydata" }
  }
}

resource "entropydata_powerbi_integration" "finance" {
  external_id = "action-finance"
  name        = "Action Finance"
  description = %q
  credentials = {
    tenant_id     = %q
    client_id     = %q
    client_secret = %q
  }
  filters  = { workspaces = { include = ["Finance*"] } }
  schedule = { preset = "manual" }

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.entropydata_powerbi_integration_run.finance]
    }
  }
}

action "entropydata_powerbi_integration_run" "finance" {
  config {
    integration = "action-finance"
  }
}

resource "entropydata_powerbi_integration" "broken" {
  external_id          = "action-broken"
  name                 = "Action Broken"
  validate_credentials = false
  credentials = {
    tenant_id     = %q
    client_id     = %q
    client_secret = "not-the-secret"
  }
  filters  = { workspaces = { include = ["Finance*"] } }
  schedule = { preset = "manual" }
}

action "entropydata_powerbi_integration_run" "broken" {
  config {
    integration = entropydata_powerbi_integration.broken.external_id
  }
}

action "entropydata_powerbi_integration_run" "missing" {
  config {
    integration = "no-such-integration"
  }
}
`, description, tenant.DemoTenantID, tenant.DemoClientID, tenant.DemoClientSecret, tenant.DemoTenantID, tenant.DemoClientID)
}

// The run action, invoked on demand and from a lifecycle action_trigger,
// starts a run and waits for it with progress messages; a failing run fails
// the invocation with the run's own message.
func TestRunAction(t *testing.T) {
	requireTerraform(t, "1.14.0", "actions")
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	client, err := entropydata.New(entropydata.Config{Host: sb.APIURL, APIKey: sb.APIKey, HTTPClient: sb.HTTPClient(), MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	runs := func(id string) []entropydata.IngestionRun {
		t.Helper()
		r, err := client.ListRuns(context.Background(), id, entropydata.ListRunsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	w := newWorkspace(t, sb)
	w.write("main.tf", runActionConfig("first"))
	w.terraform("apply", "-auto-approve", "-input=false")
	if n := len(runs("action-finance")); n != 0 {
		t.Fatalf("creating the integration ran it %d times; the action triggers only after_update", n)
	}

	// On demand.
	out := w.terraform("apply", "-auto-approve", "-input=false", "-invoke=action.entropydata_powerbi_integration_run.finance")
	t.Logf("terraform apply -invoke:\n%s", out)
	got := runs("action-finance")
	if len(got) != 1 || got[0].Status != entropydata.RunSuccess {
		t.Fatalf("after -invoke, runs = %+v, want one successful run\n%s", got, out)
	}
	for _, want := range []string{
		`Starting an ingestion run of Power BI integration "action-finance"`,
		"Run " + got[0].ID + ` of "action-finance" succeeded`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the invocation's output lacks %q:\n%s", want, out)
		}
	}

	// From the lifecycle: changing the integration runs it once more.
	w.write("main.tf", runActionConfig("second"))
	out = w.terraform("apply", "-auto-approve", "-input=false")
	if got := runs("action-finance"); len(got) != 2 || got[0].Status != entropydata.RunSuccess {
		t.Fatalf("after an update with an after_update trigger, runs = %+v, want two successful runs\n%s", got, out)
	}

	// A failing run fails the invocation with the run's own message.
	out, err = w.try("apply", "-auto-approve", "-input=false", "-invoke=action.entropydata_powerbi_integration_run.broken")
	if err == nil {
		t.Fatalf("invoking the action on an integration with a wrong secret succeeded:\n%s", out)
	}
	failed := runs("action-broken")
	if len(failed) != 1 || failed[0].Status != entropydata.RunFailed || failed[0].Message == nil {
		t.Fatalf("runs of the broken integration = %+v, want one failed run with a message", failed)
	}
	msg := *failed[0].Message
	if !strings.Contains(msg, "AADSTS7000215") {
		t.Errorf("the sandbox's failed run says %q, expected Entra ID's invalid-secret code", msg)
	}
	if !strings.Contains(out, "ended with status FAILED") || !strings.Contains(strings.Join(strings.Fields(out), " "), firstWords(msg, 8)) {
		t.Errorf("the failed invocation does not show the run's own message %q:\n%s", msg, out)
	}

	// An unknown integration is an error on the attribute, and starts nothing.
	out, err = w.try("apply", "-auto-approve", "-input=false", "-invoke=action.entropydata_powerbi_integration_run.missing")
	if err == nil || !strings.Contains(out, "Unknown integration") || !strings.Contains(out, "no-such-integration") {
		t.Errorf("invoking the action on a missing integration: err = %v, want 'Unknown integration':\n%s", err, out)
	}
}

// firstWords is the start of s with single spaces, to find a message that
// Terraform may have wrapped over several lines.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

// The action's documented example, next to the quickstart that declares the
// integration it runs: creating the data product triggers a run, and the
// action can be invoked on demand.
func TestRunActionExample(t *testing.T) {
	requireTerraform(t, "1.14.0", "actions")
	sb := startSandbox(t)
	example, err := os.ReadFile(filepath.Join(repoRoot(), "examples", "actions", "entropydata_powerbi_integration_run", "action.tf"))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorkspace(t, sb)
	w.write("main.tf", quickstart(t))
	w.write("action.tf", string(example))
	w.terraform("apply", "-auto-approve", "-input=false")
	count := func() int {
		runs, err := apiClient(t, sb).ListRuns(context.Background(), "finance-powerbi", entropydata.ListRunsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return len(runs)
	}
	// One run from run_on_apply, one from the data product's after_create trigger.
	if n := count(); n != 2 {
		t.Fatalf("after the first apply the integration ran %d times, want 2 (run_on_apply and the trigger)", n)
	}
	w.terraform("apply", "-auto-approve", "-input=false", "-invoke=action.entropydata_powerbi_integration_run.finance")
	if n := count(); n != 3 {
		t.Fatalf("after -invoke the integration ran %d times, want 3", n)
	}
}

// On a server without integrations the action says so, instead of a bare 404.
func TestRunActionIngestionsDisabled(t *testing.T) {
	requireTerraform(t, "1.14.0", "actions")
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1, IngestionsDisabled: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	w := newWorkspace(t, sb)
	w.write("main.tf", `
terraform {
  required_providers {
    entropydata = { source = "entropy-data/entropydata" }
  }
}
action "entropydata_powerbi_integration_run" "finance" {
  config {
    integration = "finance-powerbi"
  }
}
`)
	out, err := w.try("apply", "-auto-approve", "-input=false", "-invoke=action.entropydata_powerbi_integration_run.finance")
	if err == nil || !strings.Contains(out, "Integrations are not available on this Entropy Data server") ||
		!strings.Contains(out, "APPLICATION_INGESTIONS_ENABLED") {
		t.Errorf("invoking the action without integrations: err = %v, want the explanation:\n%s", err, out)
	}
}
