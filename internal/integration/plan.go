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

// ModifyPlan shows in the plan what the schedule means (its next runs) and
// what the filters select (filter_preview), warns about filters and
// schedules that probably do not do what was meant, refuses filter changes
// that would drop assets backing data products, and marks the latest run as
// changing when the apply will trigger one.
//
// Terraform calls it again while applying, with the same configuration and
// state, and requires every value this plan made known to come out the same.
// The preview is deterministic for the same Power BI content (sorted lists);
// if that content changes between plan and apply, or Power BI fails just
// then, Terraform stops the apply before any change ("inconsistent final
// plan") and a new plan is needed. The guide documents this.
func (r *integrationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
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

	// Compare before touching anything: an unchanged resource must plan empty.
	changed := state == nil || !req.Plan.Raw.Equal(req.State.Raw)

	r.planSchedule(ctx, &plan, state, resp)

	on := config.Preview
	if on.IsNull() {
		on = plan.ValidateCredentials // the default
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("preview"), on)...)
	plan.Preview = on
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("filter_preview"),
		r.plannedPreview(ctx, &plan, &config, state, &resp.Diagnostics))...)

	if state != nil {
		r.guardGovernedAssets(ctx, &plan, state, &resp.Diagnostics)
	}

	if state != nil && changed && plan.RunOnApply.ValueBool() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("latest_run"), types.ObjectUnknown(latestRunAttrTypes))...)
	}
}

// planSchedule keeps the schedule shown before while it is unchanged, so
// time passing never makes a plan by itself, and otherwise shows the next
// runs of the new one and warns when it runs rarely.
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
		now := time.Now()
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schedule"),
			scheduleObject(planSched.Preset, planSched.Cron, sch, nextRunsAnchor(now)))...)
		if !planSched.Cron.IsNull() {
			addRareScheduleWarning(&resp.Diagnostics, planSched.Cron.ValueString(), sch, now)
		}
	}
}

// nextRunsAnchor is the time next_runs count from: the start of the current
// hour. Terraform plans again when it applies (also a saved plan) and insists
// on the same values, so the anchor must not move between plan and apply;
// it only moves at the top of the hour, and changes next_runs only when a
// run falls in that hour.
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
