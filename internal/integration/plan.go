package integration

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/schedule"
)

// ModifyPlan shows in the plan what the schedule means and what the filters
// select (filter_preview), checks the owner team, warns about filters and
// schedules that probably do not do what was meant, refuses filter changes
// that would drop assets backing data products, and marks the latest run as
// changing when the apply will trigger one.
//
// Terraform calls it again while applying, with the same configuration and
// state, and requires every value this plan made known to come out the same,
// also for a saved plan applied days later: so nothing planned here depends
// on the clock. The preview is deterministic for the same Power BI content
// (sorted lists); if that content changes between plan and apply, or Power
// BI fails just then, Terraform stops the apply before any change
// ("inconsistent final plan") and a new plan is needed. The guide documents this.
func (r *integrationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: checked when deleting, after the resources that depend on this one are gone
	}
	var plan, config resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *resourceModel
	if !req.State.Raw.IsNull() {
		state = &resourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	requireCredentialsOnCreate(&config, state == nil, &resp.Diagnostics)
	r.planSchedule(ctx, &plan, state, resp)
	r.checkOwnerTeam(ctx, &plan, state, &resp.Diagnostics)

	on := config.Preview
	if on.IsNull() {
		on = plan.ValidateCredentials // the default
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("preview"), on)...)
	plan.Preview = on
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("filter_preview"),
		r.plannedPreview(ctx, &plan, &config, state, &resp.Diagnostics))...)

	if state == nil {
		return
	}
	r.guardGovernedAssets(ctx, &plan, state, &resp.Diagnostics)
	if !plan.ExternalID.Equal(state.ExternalID) {
		r.warnReplacement(ctx, state, &resp.Diagnostics)
	}

	if !plan.RunOnApply.ValueBool() {
		return
	}
	pending := pendingRunOf(ctx, req.Private, &resp.Diagnostics)
	if importChanged(ctx, &plan, state, &resp.Diagnostics) || pending != nil {
		if pending != nil {
			resp.Diagnostics.AddAttributeWarning(path.Root("latest_run"), "Ingestion run to be repeated", fmt.Sprintf(
				"The run_on_apply run %s of integration %q did not succeed (%s), and no run has succeeded since. "+
					"Applying starts a new run.", pending.RunID, state.ExternalID.ValueString(), pending.Status))
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("latest_run"), types.ObjectUnknown(latestRunAttrTypes))...)
	}
}

// importChanged tells whether the update changes what Power BI content is
// imported or how: the service principal (or its secret), the filters, or
// the team that owns the imported assets. Only such a change starts a
// run_on_apply run; the name, the description, the schedule and the
// provider-side settings (timeouts, wait_for_run, preview, ...) do not.
func importChanged(ctx context.Context, plan, state *resourceModel, diags *diag.Diagnostics) bool {
	return credentialsChanged(ctx, plan, state, diags) || !plan.Filters.Equal(state.Filters) || !plan.OwnerTeam.Equal(state.OwnerTeam)
}

// checkOwnerTeam checks a new or changed owner team at plan time, as the
// data product does, so that a missing team fails the plan, not the apply.
func (r *integrationResource) checkOwnerTeam(ctx context.Context, plan, state *resourceModel, diags *diag.Diagnostics) {
	team := plan.OwnerTeam
	if r.data == nil || team.IsNull() || team.IsUnknown() || (state != nil && team.Equal(state.OwnerTeam)) {
		return
	}
	r.data.CheckTeam(ctx, team.ValueString(), path.Root("owner_team"), diags)
}

// planSchedule keeps the schedule shown before while it is unchanged, so
// time passing never makes a plan by itself. A new or changed schedule shows
// what it means in words (description); its next runs are counted from the
// time it is applied, as any value planned from the clock would make a saved
// plan fail when applied later.
func (r *integrationResource) planSchedule(ctx context.Context, plan, state *resourceModel, resp *resource.ModifyPlanResponse) {
	planSched := plan.schedule(ctx, &resp.Diagnostics)
	scheduleChanged := state == nil
	if state != nil {
		prior := state.schedule(ctx, &resp.Diagnostics)
		scheduleChanged = !planSched.Preset.Equal(prior.Preset) || !planSched.Cron.Equal(prior.Cron)
	}
	switch {
	case !scheduleChanged:
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schedule"), state.Schedule)...)
	case !plan.Schedule.IsUnknown():
		sch, known, err := planSched.parsed()
		if err != nil || !known {
			return // invalid values are reported by the validators; unknown ones are computed at apply
		}
		runs := types.ListUnknown(types.StringType)
		if sch == nil {
			runs = nextRunsValue(nil, time.Time{}) // manual: no runs, whatever the time
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schedule"),
			scheduleObject(planSched.Preset, planSched.Cron, sch, runs))...)
		if !planSched.Cron.IsNull() {
			addRareScheduleWarning(&resp.Diagnostics, planSched.Cron.ValueString(), sch, r.data.Now())
		}
	}
}

// nextRunsAnchor is the time next_runs count from when they are computed:
// the start of the current hour, so that an import made in the same hour as
// the apply reads the same values.
func nextRunsAnchor(now time.Time) time.Time { return now.UTC().Truncate(time.Hour) }

// rareRunWait is how long until the next run may be before the plan warns.
const rareRunWait = 7 * 24 * time.Hour

// addRareScheduleWarning warns about a cron that never runs, or whose next
// run is more than a week away: most often a mistake, such as day-of-month
// and month swapped, or "0 6 29 2 *".
func addRareScheduleWarning(diags *diag.Diagnostics, cron string, sch *schedule.Schedule, now time.Time) {
	at := path.Root("schedule").AtName("cron")
	next := sch.Next(now)
	if next.IsZero() {
		diags.AddAttributeWarning(at, "Schedule never runs", fmt.Sprintf(
			"The cron %q matches no date, so the integration would only run when triggered. Say so with "+
				"preset = \"manual\", or correct the cron (it reads minute hour day-of-month month day-of-week, in UTC).", cron))
		return
	}
	wait := next.Sub(now)
	if wait <= rareRunWait {
		return
	}
	detail := fmt.Sprintf("The cron %q (%s) runs next at %s, %s from now", cron, sch.Describe(),
		next.UTC().Format(time.RFC3339), roughDuration(wait))
	if gap := sch.LongestGap(); gap > wait {
		detail += fmt.Sprintf(", and up to %s can pass between two runs", roughDuration(gap))
	}
	diags.AddAttributeWarning(at, "Schedule runs rarely", detail+". Until a run, the catalog does not see changes in "+
		"Power BI. Check that this is what you meant: the fields are minute hour day-of-month month day-of-week, in UTC.")
}

// roughDuration words a long duration in days, or years when it is longer
// than two.
func roughDuration(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	if days >= 2*365 {
		return fmt.Sprintf("about %d years", days/365)
	}
	return fmt.Sprintf("%d days", days)
}
