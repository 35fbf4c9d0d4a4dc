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
	if scheduleChanged && !plan.Schedule.IsUnknown() {
		sch, known, err := planSched.parsed()
		var value types.Object
		switch {
		case err != nil:
			return // the attribute validators report it
		case !known:
			value = types.ObjectUnknown(scheduleAttrTypes)
			// Keep what the user wrote visible even while the rest is unknown.
		default:
			value = scheduleObject(planSched.Preset, planSched.Cron, sch, time.Now())
		}
		if known {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schedule"), value)...)
		} else {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schedule").AtName("next_runs"), types.ListUnknown(types.StringType))...)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schedule").AtName("description"), types.StringUnknown())...)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schedule").AtName("quartz_expression"), types.StringUnknown())...)
		}
	}

	if state != nil && changed && plan.RunOnApply.ValueBool() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("latest_run"), types.ObjectUnknown(latestRunAttrTypes))...)
	}
}
