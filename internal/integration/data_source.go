package integration

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/schedule"
	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

var _ datasource.DataSourceWithConfigure = (*integrationDataSource)(nil)

// NewDataSource returns the entropydata_powerbi_integration data source: an
// integration made outside Terraform (in the UI, on a server whose
// integrations API is read-and-run only), for configurations that run it,
// discover what it imported and build data products on it.
func NewDataSource() datasource.DataSource {
	return &integrationDataSource{providerdata.DataSource{TypeName: "powerbi_integration"}}
}

type integrationDataSource struct {
	providerdata.DataSource
}

type dataSourceModel struct {
	ExternalID  types.String `tfsdk:"external_id"`
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Source      types.String `tfsdk:"source"`
	Enabled     types.Bool   `tfsdk:"enabled"`
	OwnerTeam   types.String `tfsdk:"owner_team"`
	Schedule    types.Object `tfsdk:"schedule"`
	Filters     types.Object `tfsdk:"filters"`
	LatestRun   types.Object `tfsdk:"latest_run"`
}

func (d *integrationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	patterns := func(what string) schema.SingleNestedAttribute {
		return schema.SingleNestedAttribute{
			MarkdownDescription: "Which " + what + " it imports.",
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"include": schema.ListAttribute{MarkdownDescription: "Patterns to import; empty means all.", ElementType: types.StringType, Computed: true},
				"exclude": schema.ListAttribute{MarkdownDescription: "Patterns to leave out.", ElementType: types.StringType, Computed: true},
			},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Power BI integration as Entropy Data stores it, for example one created in the Entropy Data " +
			"UI. Use it where Terraform should not (or, on a server whose integrations API is read-and-run only, cannot) " +
			"manage the integration itself: the runs, semantic model and report data sources and the data product " +
			"resource work with its `external_id` as with a managed one.",
		Attributes: map[string]schema.Attribute{
			"external_id": schema.StringAttribute{
				MarkdownDescription: "The integration's key in the Entropy Data API.",
				Required:            true,
				Validators:          []validator.String{validate.ExternalID()},
			},
			"id":          computed("Same as `external_id`."),
			"name":        computed("Display name."),
			"description": computed("What the import is for; null when not set."),
			"source": computed(fmt.Sprintf("The integration's source: `%s`, or `%s` for an import made through the "+
				"\"Fabric/Power BI\" entry.", entropydata.SourcePowerBI, entropydata.SourceFabric)),
			"enabled":    schema.BoolAttribute{MarkdownDescription: "Whether the schedule is active.", Computed: true},
			"owner_team": computed("Id of the team that owns the ingested assets; null for an organization-wide integration."),
			"schedule": schema.SingleNestedAttribute{
				MarkdownDescription: "When the import runs, in UTC. Null parts are those the schedule cannot be read as.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"preset":            computed("The preset the schedule matches (`manual` for none); null when it matches none."),
					"cron":              computed("The schedule as a 5-field cron; null for manual runs or a preset."),
					"quartz_expression": computed("The schedule as Entropy Data stores it (a Quartz cron with seconds); null for manual."),
					"description":       computed("The schedule in words."),
					"next_runs": schema.ListAttribute{MarkdownDescription: "The next three scheduled run times from the start " +
						"of the current hour (RFC 3339, UTC).", ElementType: types.StringType, Computed: true},
				},
			},
			"filters": schema.SingleNestedAttribute{
				MarkdownDescription: "What the integration imports, as stored (a flat list of patterns reads as `include`).",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					filterpreview.AttrWorkspaces:     patterns("workspaces"),
					filterpreview.AttrSemanticModels: patterns("semantic models"),
					filterpreview.AttrReports:        patterns("reports"),
				},
			},
			"latest_run": schema.SingleNestedAttribute{
				MarkdownDescription: "The most recent ingestion run; null before the first run.",
				Computed:            true,
				Attributes:          runDataSourceAttributes(),
			},
		},
	}
}

func (d *integrationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m dataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.ExternalID.ValueString()
	in, err := d.Data.Client.GetIntegration(ctx, id)
	if entropydata.IsNotFound(err) {
		if !ExplainUnavailable(ctx, d.Data.Client, &resp.Diagnostics) {
			resp.Diagnostics.AddAttributeError(path.Root("external_id"), "Unknown integration",
				fmt.Sprintf("Entropy Data has no integration with external id %q, or the API key cannot see it.", id))
		}
		return
	}
	if err != nil {
		providerdata.AddAPIError(&resp.Diagnostics, "Could not read the Power BI integration", err)
		return
	}
	if !entropydata.ImportsPowerBI(in.Source) {
		resp.Diagnostics.AddAttributeError(path.Root("external_id"), "Not a Power BI integration",
			fmt.Sprintf("The integration %q imports from %q, not Power BI.", id, in.Source))
		return
	}
	f := readIntegration(in)
	m.ID = types.StringValue(in.ExternalID)
	m.Name = types.StringValue(f.name)
	m.Description = providerdata.StringOrNull(f.cfg.Description)
	m.Source = types.StringValue(in.Source)
	m.Enabled = types.BoolValue(in.Enabled)
	m.OwnerTeam = providerdata.StringOrNull(f.ownerTeam)
	m.Filters = filterpreview.FiltersValue(matcherFilters(f.cfg.Filters))
	m.Schedule = readSchedule(f, d.Data.Now())
	m.LatestRun = runValue(in.LatestRun)
	if in.LatestRun == nil {
		run, err := d.Data.Client.GetLatestRun(ctx, id)
		switch {
		case err == nil:
			m.LatestRun = runValue(run)
		case !entropydata.IsNotFound(err):
			providerdata.AddAPIError(&resp.Diagnostics, "Could not read the latest ingestion run", err)
			return
		}
	}
	addUnrecognizedWarning(&resp.Diagnostics, id, ", so filters and schedule may not tell the whole story", f.unrecognized)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// readSchedule shows a stored schedule: its preset when it matches one,
// else its cron; a schedule the provider cannot read shows only its Quartz
// expression.
func readSchedule(f integrationFields, now time.Time) types.Object {
	preset, cron := types.StringNull(), types.StringNull()
	switch {
	case f.schedule != nil && f.schedule.PresetName() != "":
		preset = types.StringValue(f.schedule.PresetName())
	case f.schedule != nil:
		cron = types.StringValue(f.schedule.Cron())
	case f.cfg.ScheduleExpression == nil:
		preset = types.StringValue(schedule.Manual)
	default:
		return types.ObjectValueMust(scheduleAttrTypes, map[string]attr.Value{
			"preset": preset, "cron": cron, "quartz_expression": types.StringValue(*f.cfg.ScheduleExpression),
			"description": types.StringValue("not understood by the provider"), "next_runs": filterpreview.StringList(nil),
		})
	}
	return scheduleObject(preset, cron, f.schedule, nextRunsValue(f.schedule, now))
}
