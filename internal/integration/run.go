package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// Polling starts fast, for the sandbox and small tenants, and slows down for
// long imports so a wait of many minutes costs few requests.
const (
	pollFirst = 200 * time.Millisecond
	pollMax   = 10 * time.Second
)

// runOnApply triggers an ingestion run and, with wait_for_run, waits for it
// so later resources in the same apply see the imported assets. It returns
// the run that did not succeed (or was not waited for to the end), to be
// repeated by the next apply; nil when it succeeded or was not waited for.
//
// A run that fails while the integration is being created is a warning, not
// an error: Terraform taints a resource whose create reports an error and
// replaces it on the next apply, and with delete_assets_on_destroy that
// replacement would delete the assets the run imported, which data products
// may already use. The integration itself was created as planned; the next
// plan shows the run to be repeated (see pendingRun).
func (r *integrationResource) runOnApply(ctx context.Context, m *resourceModel, creating bool, diags *diag.Diagnostics) *pendingRun {
	id := m.ExternalID.ValueString()
	run, err := triggerAndWait(ctx, r.data.Client, id, m.WaitForRun.ValueBool())
	if run != nil {
		m.LatestRun = runValue(run)
	} else {
		m.LatestRun = r.latestRun(ctx, id, diags)
	}
	if err == nil {
		return nil
	}
	pending := &pendingRun{Status: "not started"}
	if run != nil {
		pending.RunID, pending.Status = run.ID, run.Status
		if ctx.Err() != nil {
			pending.Status = "not finished in time"
		}
	}
	if !creating {
		diags.AddError("Ingestion run did not succeed", err.Error()+"\n\nThe change itself was saved. The next apply starts the run again.")
		return pending
	}
	diags.AddWarning("Ingestion run did not succeed", err.Error()+"\n\nThe integration was created and stays in the state "+
		"(it is not tainted, so no later apply replaces it or deletes what it imported). The next plan shows the run "+
		"again: fix the cause (see the run's message in latest_run) and apply.")
	return pending
}

// pendingRunKey is the private state key of a run_on_apply run that did not
// succeed.
const pendingRunKey = "pending_run"

// pendingRun is a run_on_apply run that did not succeed. While it is
// recorded, and until a run of the integration succeeds, every plan with
// run_on_apply starts a new run.
type pendingRun struct {
	RunID  string `json:"run_id,omitempty"`
	Status string `json:"status"`
}

// privateState is the part of the framework's private state the resource uses.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateStateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func pendingRunOf(ctx context.Context, p privateState, diags *diag.Diagnostics) *pendingRun {
	if p == nil {
		return nil
	}
	b, d := p.GetKey(ctx, pendingRunKey)
	diags.Append(d...)
	var pr pendingRun
	if len(b) == 0 || json.Unmarshal(b, &pr) != nil {
		return nil
	}
	return &pr
}

// setPendingRun records pr, or clears the record when pr is nil.
func setPendingRun(ctx context.Context, p privateStateSetter, pr *pendingRun, diags *diag.Diagnostics) {
	var b []byte
	if pr != nil {
		b, _ = json.Marshal(pr)
	}
	diags.Append(p.SetKey(ctx, pendingRunKey, b)...)
}

// triggerAndWait starts a run of the integration. A run already in progress
// is waited for and then followed by a fresh run, so the result reflects the
// configuration just applied. With wait, it returns the finished run and an
// error when that run did not succeed.
func triggerAndWait(ctx context.Context, client *entropydata.Client, externalID string, wait bool) (*entropydata.IngestionRun, error) {
	return TriggerAndWatch(ctx, client, externalID, wait, nil)
}

// TriggerAndWatch is triggerAndWait that also hands every state of the run
// seen while waiting to progress (when not nil): the run action's progress
// messages.
func TriggerAndWatch(ctx context.Context, client *entropydata.Client, externalID string, wait bool, progress func(*entropydata.IngestionRun)) (*entropydata.IngestionRun, error) {
	for {
		previous, err := latestRunID(ctx, client, externalID)
		if err != nil {
			return nil, err
		}
		_, err = client.TriggerRun(ctx, externalID)
		if errors.Is(err, entropydata.ErrRunAlreadyRunning) {
			tflog.Info(ctx, "an ingestion run is already in progress; waiting for it before starting a new one",
				map[string]any{"integration": externalID})
			if _, err := waitForRun(ctx, client, externalID, "", progress); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("could not start an ingestion run: %w", err)
		}
		if !wait {
			return nil, nil
		}
		run, err := waitForRun(ctx, client, externalID, previous, progress)
		if err != nil {
			return run, err
		}
		if run.Status != entropydata.RunSuccess {
			msg := "no message"
			if run.Message != nil && *run.Message != "" {
				msg = *run.Message
			}
			return run, fmt.Errorf("ingestion run %s of integration %q ended with status %s: %s",
				run.ID, externalID, run.Status, msg)
		}
		return run, nil
	}
}

func latestRunID(ctx context.Context, client *entropydata.Client, externalID string) (string, error) {
	run, err := client.GetLatestRun(ctx, externalID)
	if entropydata.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return run.ID, nil
}

// waitForRun polls the latest run until it is a run other than notID and has
// finished. The server creates the run row shortly after the trigger, so a
// latest run that is still notID means "not picked up yet".
func waitForRun(ctx context.Context, client *entropydata.Client, externalID, notID string, progress func(*entropydata.IngestionRun)) (*entropydata.IngestionRun, error) {
	delay := pollFirst
	for {
		run, err := client.GetLatestRun(ctx, externalID)
		if err == nil && progress != nil && run.ID != notID {
			progress(run)
		}
		switch {
		case err != nil && !entropydata.IsNotFound(err):
			return nil, err
		case err == nil && run.ID != notID && run.Status != entropydata.RunRunning:
			return run, nil
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return run, fmt.Errorf("stopped waiting for the ingestion run of integration %q: %w "+
				"(the run goes on in Entropy Data; raise timeouts.create/update or set wait_for_run = false)", externalID, ctx.Err())
		case <-timer.C:
		}
		delay = min(delay*3/2, pollMax)
	}
}
