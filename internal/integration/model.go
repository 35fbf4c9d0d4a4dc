package integration

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/schedule"
)

// nextRunsShown is how many upcoming runs the schedule shows.
const nextRunsShown = 3

type resourceModel struct {
	ID                    types.String   `tfsdk:"id"`
	ExternalID            types.String   `tfsdk:"external_id"`
	Name                  types.String   `tfsdk:"name"`
	Description           types.String   `tfsdk:"description"`
	Enabled               types.Bool     `tfsdk:"enabled"`
	OwnerTeam             types.String   `tfsdk:"owner_team"`
	Credentials           types.Object   `tfsdk:"credentials"`
	Filters               types.Object   `tfsdk:"filters"`
	Schedule              types.Object   `tfsdk:"schedule"`
	RunOnApply            types.Bool     `tfsdk:"run_on_apply"`
	WaitForRun            types.Bool     `tfsdk:"wait_for_run"`
	ValidateCredentials   types.Bool     `tfsdk:"validate_credentials"`
	DeleteAssetsOnDestroy types.Bool     `tfsdk:"delete_assets_on_destroy"`
	Preview               types.Bool     `tfsdk:"preview"`
	FilterPreview         types.Object   `tfsdk:"filter_preview"`
	AllowDroppingGoverned types.Bool     `tfsdk:"allow_dropping_governed_assets"`
	LatestRun             types.Object   `tfsdk:"latest_run"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

type credentialsModel struct {
	TenantID              types.String `tfsdk:"tenant_id"`
	ClientID              types.String `tfsdk:"client_id"`
	ClientSecretWO        types.String `tfsdk:"client_secret_wo"`
	ClientSecretWOVersion types.Int64  `tfsdk:"client_secret_wo_version"`
	ClientSecret          types.String `tfsdk:"client_secret"`
}

type scheduleModel struct {
	Preset           types.String `tfsdk:"preset"`
	Cron             types.String `tfsdk:"cron"`
	QuartzExpression types.String `tfsdk:"quartz_expression"`
	Description      types.String `tfsdk:"description"`
	NextRuns         types.List   `tfsdk:"next_runs"`
}

var asOpts = basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}

func (m *resourceModel) credentials(ctx context.Context, diags *diag.Diagnostics) credentialsModel {
	var c credentialsModel
	if !m.Credentials.IsNull() && !m.Credentials.IsUnknown() {
		diags.Append(m.Credentials.As(ctx, &c, asOpts)...)
	}
	return c
}

func (m *resourceModel) schedule(ctx context.Context, diags *diag.Diagnostics) scheduleModel {
	var s scheduleModel
	if !m.Schedule.IsNull() && !m.Schedule.IsUnknown() {
		diags.Append(m.Schedule.As(ctx, &s, asOpts)...)
	}
	return s
}

// parsedSchedule turns the configured preset or cron into a schedule; nil
// means manual runs only. ok is false when the value is not yet known.
func (s scheduleModel) parsed() (sch *schedule.Schedule, ok bool, err error) {
	if s.Preset.IsUnknown() || s.Cron.IsUnknown() {
		return nil, false, nil
	}
	if !s.Cron.IsNull() {
		sch, err = schedule.ParseCron(s.Cron.ValueString())
		return sch, err == nil, err
	}
	if s.Preset.IsNull() {
		return nil, true, nil
	}
	sch, err = schedule.FromPreset(s.Preset.ValueString())
	return sch, err == nil, err
}

// apiFilters converts the filters attribute to the wire form.
func apiFilters(ctx context.Context, obj types.Object, diags *diag.Diagnostics) entropydata.IntegrationFilters {
	f := filterpreview.FiltersFrom(ctx, obj, diags)
	return entropydata.IntegrationFilters{
		Workspaces:     entropydata.PatternFilter(f.Workspaces),
		SemanticModels: entropydata.PatternFilter(f.SemanticModels),
		Reports:        entropydata.PatternFilter(f.Reports),
	}
}

// matcherFilters converts filters from the wire form to the matcher's.
func matcherFilters(f entropydata.IntegrationFilters) powerbi.Filters {
	return powerbi.Filters{
		Workspaces:     powerbi.Filter(f.Workspaces),
		SemanticModels: powerbi.Filter(f.SemanticModels),
		Reports:        powerbi.Filter(f.Reports),
	}
}

// toWrite builds the API request for the planned integration. cred is nil
// when the stored credential should be kept. stored is the configuration as
// the server returned it (nil for a new integration): the managed fields are
// overlaid onto it, so what the provider does not manage, and the source,
// stay as they are.
func (m *resourceModel) toWrite(ctx context.Context, cred *entropydata.Credential, stored *entropydata.IntegrationConfiguration, diags *diag.Diagnostics) entropydata.IntegrationWrite {
	sm := m.schedule(ctx, diags)
	sch, _, err := sm.parsed()
	if err != nil {
		diags.AddError("Invalid schedule", err.Error())
	}
	var quartz *string
	if sch != nil {
		q := sch.Quartz()
		quartz = &q
	}
	enabled := m.Enabled.ValueBool()
	var cfg entropydata.IntegrationConfiguration
	if stored != nil {
		cfg = *stored
	}
	if cfg.Source == "" {
		cfg.Source = entropydata.SourcePowerBI
	}
	cfg.Name = m.Name.ValueString()
	cfg.Description = m.Description.ValueString()
	cfg.ScheduleExpression = quartz
	cfg.AssetOwnerTeamExternalID = m.OwnerTeam.ValueString()
	cfg.Filters = apiFilters(ctx, m.Filters, diags)
	return entropydata.IntegrationWrite{Configuration: cfg, Credential: cred, Enabled: &enabled}
}

// scheduleValue builds the schedule attribute: the user's own preset or cron
// text is kept when it means the same as what the server stores, so that an
// equivalent spelling never shows as a change; and so are the next runs
// already shown, so that time passing never changes the state.
func scheduleValue(prior scheduleModel, stored *schedule.Schedule, now time.Time) types.Object {
	preset, cron := types.StringNull(), types.StringNull()
	priorSch, priorOK, _ := prior.parsed()
	same := priorOK && priorSch.Equal(stored)
	switch {
	case stored == nil:
		preset = types.StringValue(schedule.Manual)
	case same:
		preset, cron = prior.Preset, prior.Cron
	case stored.PresetName() != "" && !prior.Preset.IsNull():
		preset = types.StringValue(stored.PresetName())
	default:
		cron = types.StringValue(stored.Cron())
	}
	runs := prior.NextRuns
	if !same || runs.IsNull() || runs.IsUnknown() {
		runs = nextRunsValue(stored, now)
	}
	return scheduleObject(preset, cron, stored, runs)
}

// nextRunsValue lists the schedule's next runs after now; none for manual.
func nextRunsValue(sch *schedule.Schedule, now time.Time) types.List {
	runs := []string{}
	if sch != nil {
		for _, t := range sch.NextRuns(nextRunsAnchor(now), nextRunsShown) {
			runs = append(runs, t.UTC().Format(time.RFC3339))
		}
	}
	return filterpreview.StringList(runs)
}

// scheduleObject fills in the computed parts of a schedule.
func scheduleObject(preset, cron types.String, sch *schedule.Schedule, nextRuns types.List) types.Object {
	quartz, desc := types.StringNull(), types.StringValue("manual runs only")
	if sch != nil {
		quartz = types.StringValue(sch.Quartz())
		desc = types.StringValue(sch.Describe())
	}
	return types.ObjectValueMust(scheduleAttrTypes, map[string]attr.Value{
		"preset": preset, "cron": cron, "quartz_expression": quartz, "description": desc, "next_runs": nextRuns,
	})
}

// fromAPI copies what the server returned into the model, so that edits made
// outside Terraform show as drift. What the stored configuration holds that
// the provider does not understand becomes one warning. now is only used for
// the next runs of a schedule not seen before.
func (m *resourceModel) fromAPI(ctx context.Context, in *entropydata.Integration, now time.Time, diags *diag.Diagnostics) {
	if !entropydata.ImportsPowerBI(in.Source) {
		diags.AddError("Not a Power BI integration", fmt.Sprintf("The integration %q imports from %q, not Power BI "+
			"(source %q or %q), so this resource cannot manage it.", in.ExternalID, in.Source, entropydata.SourcePowerBI, entropydata.SourceFabric))
		return
	}
	m.ID = types.StringValue(in.ExternalID)
	m.ExternalID = types.StringValue(in.ExternalID)
	f := readIntegration(in)
	m.Name = types.StringValue(f.name)
	m.Enabled = types.BoolValue(in.Enabled)
	m.OwnerTeam = providerdata.StringOrNull(f.ownerTeam)
	// The server does not tell an empty description from none: keep the
	// configured "" rather than report it as removed.
	if f.cfg.Description != "" || !m.Description.Equal(types.StringValue("")) {
		m.Description = providerdata.StringOrNull(f.cfg.Description)
	}
	m.Filters = filterpreview.FiltersValue(matcherFilters(f.cfg.Filters))
	m.Schedule = scheduleValue(m.schedule(ctx, diags), f.schedule, now)
	addUnrecognizedWarning(diags, in.ExternalID, "", f.unrecognized)
}

// readIntegration is what the resource and the data source read from an
// integration.
type integrationFields struct {
	cfg          entropydata.IntegrationConfiguration
	name         string
	ownerTeam    string
	schedule     *schedule.Schedule // nil: manual runs only
	unrecognized []string
}

func readIntegration(in *entropydata.Integration) integrationFields {
	f := integrationFields{name: in.Name}
	if in.Configuration != nil {
		f.cfg = *in.Configuration
	}
	if f.cfg.Name != "" {
		f.name = f.cfg.Name
	}
	if in.AssetOwnerTeamExternalID != nil {
		f.ownerTeam = *in.AssetOwnerTeamExternalID
	}
	if f.ownerTeam == "" {
		f.ownerTeam = f.cfg.AssetOwnerTeamExternalID
	}
	for _, u := range f.cfg.Unrecognized {
		f.unrecognized = append(f.unrecognized, fmt.Sprintf("%s: %s", u.Field, onWrite(u.OnWrite)))
	}
	if q := f.cfg.ScheduleExpression; q != nil {
		var err error
		if f.schedule, err = schedule.ParseQuartz(*q); err != nil {
			f.unrecognized = append(f.unrecognized, fmt.Sprintf("configuration.scheduleExpression %q, which the provider cannot "+
				"express as a preset or 5-field cron (%s): %s", *q, err, onWrite(entropydata.OnWriteReplaced)))
		}
	}
	return f
}

// onWrite says what an apply does with a part of the configuration.
func onWrite(what string) string {
	if what == entropydata.OnWriteKept {
		return "applying keeps it unchanged"
	}
	return "applying replaces it with the value in the Terraform configuration"
}

// addUnrecognizedWarning adds one warning listing the parts not understood;
// consequence, when set, says what that means for the reader.
func addUnrecognizedWarning(diags *diag.Diagnostics, externalID, consequence string, parts []string) {
	if len(parts) == 0 {
		return
	}
	diags.AddWarning("Parts of the integration configuration not understood",
		fmt.Sprintf("Entropy Data stores parts of the configuration of the integration %q that the provider does not "+
			"read%s:\n  - %s", externalID, consequence, joinLines(parts)))
}

func joinLines(parts []string) string { return strings.Join(parts, "\n  - ") }

// runValue converts an ingestion run; nil gives null.
func runValue(r *entropydata.IngestionRun) types.Object {
	if r == nil {
		return types.ObjectNull(latestRunAttrTypes)
	}
	return types.ObjectValueMust(latestRunAttrTypes, runAttrValues(r))
}

// runAttrValues are the attribute values of one run, shared with the runs data source.
func runAttrValues(r *entropydata.IngestionRun) map[string]attr.Value {
	message := ""
	if r.Message != nil {
		message = *r.Message
	}
	completed := types.StringNull()
	if r.CompletedAt != nil {
		completed = types.StringValue(r.CompletedAt.UTC().Format(time.RFC3339))
	}
	return map[string]attr.Value{
		"id":               types.StringValue(r.ID),
		"status":           types.StringValue(r.Status),
		"message":          providerdata.StringOrNull(message),
		"started_at":       types.StringValue(r.StartedAt.UTC().Format(time.RFC3339)),
		"completed_at":     completed,
		"assets_processed": types.Int64Value(r.AssetsProcessed),
		"assets_created":   types.Int64Value(r.AssetsCreated),
		"assets_updated":   types.Int64Value(r.AssetsUpdated),
		"assets_deleted":   types.Int64Value(r.AssetsDeleted),
	}
}
