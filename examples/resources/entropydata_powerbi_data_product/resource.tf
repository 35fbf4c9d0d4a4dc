# Lineage as code: a Snowflake source data product -> the Revenue semantic model
# -> two reports built on it. The Power BI objects come from an integration's
# import (see entropydata_powerbi_integration); the data sources find their asset ids.

data "entropydata_powerbi_semantic_model" "revenue" {
  integration = "finance-powerbi"
  workspace   = "Finance"
  name        = "Revenue"
}

data "entropydata_powerbi_report" "revenue_overview" {
  integration = "finance-powerbi"
  workspace   = "Finance"
  name        = "Revenue Overview"
}

data "entropydata_powerbi_report" "revenue_by_region" {
  integration = "finance-powerbi"
  workspace   = "Sales Analytics"
  name        = "Revenue by Region"
}

# The semantic model as a governed data product. Its output port (id
# "semantic-model") offers the model's tables and columns; its upstream is the
# "orders" output port of the Snowflake data product, recorded as an approved
# access agreement.
resource "entropydata_powerbi_data_product" "revenue" {
  id              = "revenue-model"
  type            = "semantic_model"
  asset_id        = data.entropydata_powerbi_semantic_model.revenue.id
  title           = "Revenue Model"
  description     = "Revenue by order line, customer and day, for finance reporting."
  owner_team      = "finance"
  status          = "active"
  classification  = "business"
  confidentiality = "internal"
  tags            = ["finance", "revenue"]
  custom          = { costCenter = "4711" }

  upstream = [
    { data_product_id = "snowflake-orders", output_port_id = "orders" },
  ]
}

# A report that names its upstream explicitly. Referencing the model's data
# product also makes Terraform create it first and destroy it last.
resource "entropydata_powerbi_data_product" "revenue_overview" {
  id         = "revenue-overview"
  type       = "report"
  asset_id   = data.entropydata_powerbi_report.revenue_overview.id
  title      = "Revenue Overview"
  owner_team = "finance"

  upstream = [{
    data_product_id = entropydata_powerbi_data_product.revenue.id
    output_port_id  = entropydata_powerbi_data_product.revenue.output_port.id
  }]
}

# A report without upstream: it is linked automatically to the semantic model
# data products of the model the report uses. depends_on orders create and
# destroy, as above.
resource "entropydata_powerbi_data_product" "revenue_by_region" {
  id         = "revenue-by-region"
  type       = "report"
  asset_id   = data.entropydata_powerbi_report.revenue_by_region.id
  title      = "Revenue by Region"
  owner_team = "sales"

  depends_on = [entropydata_powerbi_data_product.revenue]
}

output "revenue_model_columns" {
  description = "Columns per table of the model's output port."
  value = {
    for name, t in entropydata_powerbi_data_product.revenue.output_port.tables : name => keys(t.columns)
  }
}

output "revenue_by_region_upstream_status" {
  value = entropydata_powerbi_data_product.revenue_by_region.upstream[*].status
}
