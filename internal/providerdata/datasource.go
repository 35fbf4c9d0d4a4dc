package providerdata

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// DataSource is what every data source embeds: its name and what it receives
// from the provider. The data source adds Schema and Read.
type DataSource struct {
	TypeName string // without the provider's prefix, e.g. "powerbi_integration"
	Data     *ProviderData
}

func (d *DataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.TypeName
}

func (d *DataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.Data = From(req.ProviderData, &resp.Diagnostics)
}
