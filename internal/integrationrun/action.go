// Package integrationrun implements the entropydata_powerbi_integration_run
// action (Terraform 1.14 and later): it starts an ingestion run of a Power BI
// integration on demand (`terraform apply -invoke=...`) or from a resource's
// lifecycle action_trigger, and optionally waits for it with progress
// messages.
//
// How it relates to the integration's run_on_apply: run_on_apply runs the
// import as part of creating or changing the integration resource (its
// result lands in latest_run, and wait_for_run holds back resources that
// depend on the integration). The action is for runs that are not an
// integration change: on demand, or when something else changes. Use one or
// the other for a given event; with both, an apply starts two runs.
package integrationrun

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/integration"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

const defaultTimeout = 30 * time.Minute

var _ action.ActionWithConfigure = (*runAction)(nil)

// NewAction returns the entropydata_powerbi_integration_run action.
func NewAction() action.Action { return &runAction{} }

type runAction struct {
	data *providerdata.ProviderData
}

type model struct {
	Integration types.String `tfsdk:"integration"`
	Wait        types.Bool   `tfsdk:"wait"`
	Timeout     types.String `tfsdk:"timeout"`
}

func (a *runAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_powerbi_integration_run"
}

func (a *runAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Starts an ingestion run of a Power BI integration and, unless `wait = false`, waits for it, " +
			"reporting its progress, and fails with the run's own message when the run does not succeed. Needs " +
			"Terraform 1.14 or later. Invoke it on demand with `terraform apply -invoke=action.entropydata_powerbi_integration_run.<name>`, " +
			"or from a resource's `lifecycle { action_trigger { ... } }`. A run already in progress is waited for first, " +
			"so the new run sees the current configuration.",
		Attributes: map[string]schema.Attribute{
			"integration": schema.StringAttribute{
				MarkdownDescription: "The integration's `external_id`.",
				Required:            true,
				Validators:          []validator.String{validate.ExternalID()},
			},
			"wait": schema.BoolAttribute{
				MarkdownDescription: "Wait for the run to finish and fail when it does not succeed. Defaults to `true`. " +
					"With `false`, the action returns once Entropy Data has accepted the run.",
				Optional: true,
			},
			"timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("How long to wait for the run, as a Go duration such as `45m`. Defaults "+
					"to `%s`. When it passes, the action fails but the run goes on in Entropy Data.", defaultTimeout),
				Optional:   true,
				Validators: []validator.String{validate.Duration(time.Second, 24*time.Hour)},
			},
		},
	}
}

func (a *runAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (a *runAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.Integration.ValueString()
	wait := m.Wait.IsNull() || m.Wait.ValueBool()
	timeout := defaultTimeout
	if s := m.Timeout.ValueString(); s != "" {
		timeout, _ = time.ParseDuration(s) // validated by the schema
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	say := func(format string, args ...any) {
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
		}
	}
	say("Starting an ingestion run of Power BI integration %q", id)
	var last string
	run, err := integration.TriggerAndWatch(ctx, a.data.Client, id, wait, func(r *entropydata.IngestionRun) {
		// One message per change, not per poll; the end has its own message.
		msg := progressMessage(r)
		if msg != "" && msg != last {
			last = msg
			say("%s", msg)
		}
	})
	switch {
	case entropydata.IsNotFound(err):
		if !integration.ExplainUnavailable(ctx, a.data.Client, &resp.Diagnostics) {
			resp.Diagnostics.AddAttributeError(path.Root("integration"), "Unknown integration",
				fmt.Sprintf("Entropy Data has no integration with external id %q. Check the id, or apply the "+
					"entropydata_powerbi_integration resource first.", id))
		}
		return
	case run != nil && run.Status != entropydata.RunSuccess:
		addRunFailure(&resp.Diagnostics, id, run)
		return
	case err != nil:
		resp.Diagnostics.AddError("Ingestion run did not succeed", err.Error())
		return
	case run == nil:
		say("Entropy Data accepted the run of %q; not waiting for it (wait = false)", id)
		return
	}
	say("Run %s of %q succeeded: %d assets processed (%d created, %d updated, %d deleted)",
		run.ID, id, run.AssetsProcessed, run.AssetsCreated, run.AssetsUpdated, run.AssetsDeleted)
}

// progressMessage describes a run in progress; "" once it has finished.
func progressMessage(r *entropydata.IngestionRun) string {
	if r.Status != entropydata.RunRunning {
		return ""
	}
	return fmt.Sprintf("Run %s is running: %d assets processed so far", r.ID, r.AssetsProcessed)
}

// addRunFailure reports a finished run that did not succeed with the run's
// own message as the detail, which is what the user has to act on.
func addRunFailure(diags *diag.Diagnostics, id string, run *entropydata.IngestionRun) {
	msg := "Entropy Data gave no reason."
	if run.Message != nil && *run.Message != "" {
		msg = *run.Message
	}
	diags.AddError(fmt.Sprintf("Ingestion run %s of %q ended with status %s", run.ID, id, run.Status),
		msg+"\n\nThe run history is in the entropydata_powerbi_integration_runs data source and in Entropy Data.")
}
