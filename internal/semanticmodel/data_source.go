// Package semanticmodel implements the entropydata_powerbi_semantic_models
// and entropydata_powerbi_semantic_model data sources: the Power BI semantic
// models an integration imported, with their tables and columns.
package semanticmodel

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog/tfcatalog"
)

// NewListDataSource returns the entropydata_powerbi_semantic_models data source.
func NewListDataSource() datasource.DataSource { return tfcatalog.NewListDataSource(kind) }

// NewDataSource returns the entropydata_powerbi_semantic_model data source.
func NewDataSource() datasource.DataSource { return tfcatalog.NewDataSource(kind) }

var kind = tfcatalog.Kind[catalog.SemanticModel]{
	Name:          "semantic model",
	Plural:        "semantic models",
	TypeName:      "powerbi_semantic_model",
	ListAttribute: "semantic_models",
	ListDescription: "The Power BI semantic models (datasets) that integrations (`entropydata_powerbi_integration`) " +
		"imported into the Entropy Data catalog; with `include_tables`, also their tables and columns.",
	Description: "A Power BI semantic model (dataset) that an `entropydata_powerbi_integration` imported into the " +
		"Entropy Data catalog, with its tables and columns.",
	Detail: &tfcatalog.Detail[catalog.SemanticModel]{
		Attribute: "tables",
		Flag:      "include_tables",
		Schema:    tfcatalog.ComputedList("The tables, sorted by name.", tableAttributes),
		ListDescription: "With `include_tables = true`, the tables of each semantic model, sorted by name, keyed by " +
			"the model's asset id (`tables[each.key]` in a `for_each` over `ids`); each table has `id`, `name`, " +
			"`description`, `hidden` and `columns` (in the model's order, each with `name`, `data_type`, " +
			"`description` and `hidden`), as on `entropydata_powerbi_semantic_model`. Null otherwise.",
		Value: tablesValue,
	},
	Summary: (*catalog.SemanticModel).Summary,
	List:    (*catalog.Reader).SemanticModels,
	Get:     (*catalog.Reader).SemanticModel,
}

var (
	columnAttributes = map[string]schema.Attribute{
		"name":        tfcatalog.Computed("Column name."),
		"data_type":   tfcatalog.Computed("Power BI data type: `String`, `Int64`, `Double`, `Decimal`, `Boolean`, `DateTime` or `Binary`."),
		"description": tfcatalog.Computed("Description; null when there is none."),
		"hidden":      tfcatalog.ComputedBool("Whether the column is hidden from report authors."),
	}
	tableAttributes = map[string]schema.Attribute{
		"id":          tfcatalog.Computed("Asset id of the table, `powerbi-<model GUID>-<table name slug>`."),
		"name":        tfcatalog.Computed("Table name."),
		"description": tfcatalog.Computed("Description; null when there is none."),
		"hidden":      tfcatalog.ComputedBool("Whether the table is hidden from report authors (such as Power BI's automatic date tables)."),
		"columns":     tfcatalog.ComputedList("The columns, in the model's order.", columnAttributes),
	}
	columnType = tfcatalog.ObjectType(columnAttributes)
	tableType  = tfcatalog.ObjectType(tableAttributes)
)

func tablesValue(m *catalog.SemanticModel) attr.Value {
	tables := make([]attr.Value, len(m.Tables))
	for i, t := range m.Tables {
		columns := make([]attr.Value, len(t.Columns))
		for j, c := range t.Columns {
			columns[j] = types.ObjectValueMust(columnType.AttrTypes, map[string]attr.Value{
				"name":        types.StringValue(c.Name),
				"data_type":   tfcatalog.StringOrNull(c.DataType),
				"description": tfcatalog.StringOrNull(c.Description),
				"hidden":      types.BoolValue(c.Hidden),
			})
		}
		tables[i] = types.ObjectValueMust(tableType.AttrTypes, map[string]attr.Value{
			"id":          types.StringValue(t.AssetID),
			"name":        types.StringValue(t.Name),
			"description": tfcatalog.StringOrNull(t.Description),
			"hidden":      types.BoolValue(t.Hidden),
			"columns":     types.ListValueMust(columnType, columns),
		})
	}
	return types.ListValueMust(tableType, tables)
}
