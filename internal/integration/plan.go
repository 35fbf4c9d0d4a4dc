package integration

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan shows the schedule's next runs in the plan, and marks the latest
// run as changing when the apply will trigger one.
func (r *integrationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
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

	// Compare before touching anything: an unchanged resource must plan empty.
	changed := state == nil || !req.Plan.Raw.Equal(req.State.Raw)

	planSched := plan.schedule(ctx, &resp.Diagnostics)
	scheduleChanged := state == nil
	if state != nil {
		prior := state.schedule(ctx, &resp.Diagnostics)
		scheduleChanged = !planSched.Preset.Equal(prior.Preset) || !planSched.Cron.Equal(prior.Cron)
	}
	switch {
	case !scheduleChanged:
		// Same schedule: keep the runs shown before, so time passing never
		// makes a plan by itself.
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schedule"), state.Schedule)...)
	case !plan.Schedule.IsUnknown():
		sch, known, err := planSched.parsed()
		if err != nil || !known {
			break // invalid values are reported by the validators; unknown ones are computed at apply
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schedule"),
			scheduleObject(planSched.Preset, planSched.Cron, sch, time.Now()))...)
	}

	if state != nil && changed && plan.RunOnApply.ValueBool() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("latest_run"), types.ObjectUnknown(latestRunAttrTypes))...)
	}
}
