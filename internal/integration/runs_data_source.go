package integration

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

const defaultRunsLimit = 10

var _ datasource.DataSourceWithConfigure = (*runsDataSource)(nil)

// NewRunsDataSource returns the entropydata_powerbi_integration_runs data source.
func NewRunsDataSource() datasource.DataSource {
	return &runsDataSource{providerdata.DataSource{TypeName: "powerbi_integration_runs"}}
}

type runsDataSource struct {
	providerdata.DataSource
}

type runsModel struct {
	Integration types.String `tfsdk:"integration"`
	Limit       types.Int64  `tfsdk:"limit"`
	Status      types.String `tfsdk:"status"`
	Runs        types.List   `tfsdk:"runs"`
}

func (d *runsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The most recent ingestion runs of a Power BI integration, newest first, so a pipeline " +
			"can show or assert ingestion health.",
		Attributes: map[string]schema.Attribute{
			"integration": schema.StringAttribute{
				MarkdownDescription: "The integration's `external_id`.",
				Required:            true,
				Validators:          []validator.String{validate.ExternalID()},
			},
			"limit": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many runs to return, 1 to 200. Defaults to %d.", defaultRunsLimit),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 200)},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Only runs with this status: `RUNNING`, `SUCCESS`, `FAILED` or `CANCELLED`.",
				Optional:            true,
				Validators: []validator.String{stringvalidator.OneOf(
					entropydata.RunRunning, entropydata.RunSuccess, entropydata.RunFailed, entropydata.RunCancelled)},
			},
			"runs": schema.ListNestedAttribute{
				MarkdownDescription: "The runs, newest first.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: runDataSourceAttributes()},
			},
		},
	}
}

func (d *runsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m runsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	limit := int64(defaultRunsLimit)
	if !m.Limit.IsNull() {
		limit = m.Limit.ValueInt64()
	}
	id := m.Integration.ValueString()
	runs, err := d.Data.Client.ListRuns(ctx, id, entropydata.ListRunsOptions{Limit: int(limit), Status: m.Status.ValueString()})
	if entropydata.IsNotFound(err) {
		if !ExplainUnavailable(ctx, d.Data.Client, &resp.Diagnostics) {
			providerdata.AddUnknownIntegration(&resp.Diagnostics, id)
		}
		return
	}
	if err != nil {
		providerdata.AddAPIError(&resp.Diagnostics, "Could not list ingestion runs", err)
		return
	}
	values := make([]attr.Value, 0, len(runs))
	for i := range runs {
		values = append(values, runValue(&runs[i]))
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: latestRunAttrTypes}, values)
	resp.Diagnostics.Append(diags...)
	m.Runs = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
