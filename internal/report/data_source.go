// Package report implements the entropydata_powerbi_reports and
// entropydata_powerbi_report data sources: the Power BI reports an
// integration imported, with the semantic model each one uses.
package report

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog/tfcatalog"
)

// NewListDataSource returns the entropydata_powerbi_reports data source.
func NewListDataSource() datasource.DataSource { return tfcatalog.NewListDataSource(kind) }

// NewDataSource returns the entropydata_powerbi_report data source.
func NewDataSource() datasource.DataSource { return tfcatalog.NewDataSource(kind) }

var kind = tfcatalog.Kind[catalog.Report]{
	Name:          "report",
	Plural:        "reports",
	TypeName:      "powerbi_report",
	ListAttribute: "reports",
	ListDescription: "The Power BI reports that integrations (`entropydata_powerbi_integration`) imported into the " +
		"Entropy Data catalog, with the semantic model each one uses.",
	Description: "A Power BI report that an `entropydata_powerbi_integration` imported into the Entropy Data " +
		"catalog, with the semantic model it uses.",
	Attributes: map[string]schema.Attribute{
		"report_type": tfcatalog.Computed("`PowerBIReport`, or `PaginatedReport` for a paginated (RDL) report."),
		"semantic_model_id": tfcatalog.Computed("Asset id of the semantic model the report uses, which may be in " +
			"another workspace; null for a paginated report without one."),
		"semantic_model_name": tfcatalog.Computed("Name of that semantic model; null when it has not been imported."),
	},
	Values: func(r *catalog.Report) map[string]attr.Value {
		return map[string]attr.Value{
			"report_type":         tfcatalog.StringOrNull(r.ReportType),
			"semantic_model_id":   tfcatalog.StringOrNull(r.SemanticModelAssetID),
			"semantic_model_name": tfcatalog.StringOrNull(r.SemanticModelName),
		}
	},
	Summary: (*catalog.Report).Summary,
	List:    (*catalog.Reader).Reports,
	Get:     (*catalog.Reader).Report,
}
