# Quickstart: import the Finance workspaces of Power BI into Entropy Data,
# look up what was imported, and govern it as data products with lineage:
# Snowflake orders -> the Revenue semantic model -> two reports on it.
#
# `make demo` applies this against the offline sandbox; against a real
# tenant, set ENTROPY_DATA_HOST / ENTROPY_DATA_API_KEY and the three
# variables below.

terraform {
  required_version = ">= 1.11"
  required_providers {
    entropydata = {
      source = "entropy-data/entropydata"
    }
  }
}

provider "entropydata" {}

variable "powerbi_tenant_id" {
  type        = string
  description = "Directory (tenant) id of the Microsoft Entra ID tenant."
}

variable "powerbi_client_id" {
  type        = string
  description = "Application (client) id of the service principal."
}

variable "powerbi_client_secret" {
  type        = string
  description = "Client secret of the service principal."
  sensitive   = true
  ephemeral   = true
}

resource "entropydata_powerbi_integration" "finance" {
  external_id = "finance-powerbi"
  name        = "Finance Power BI"
  description = "Semantic models and reports of the Finance workspaces"
  owner_team  = "finance"

  credentials = {
    tenant_id                = var.powerbi_tenant_id
    client_id                = var.powerbi_client_id
    client_secret_wo         = var.powerbi_client_secret # write-only: Terraform >= 1.11, never in plan or state
    client_secret_wo_version = 1
  }

  filters = {
    workspaces      = { include = ["Finance*", "Sales Analytics"], exclude = ["*Sandbox*"] }
    semantic_models = { exclude = ["*(old)"] }
    reports         = { exclude = ["*(old)"] }
  }

  schedule = { preset = "daily" }

  # Import now, so the data sources below see the assets in this same apply.
  run_on_apply = true
}

data "entropydata_powerbi_integration_runs" "finance" {
  integration = entropydata_powerbi_integration.finance.external_id
  limit       = 5
  depends_on  = [entropydata_powerbi_integration.finance]
}

# What the integration imported.
data "entropydata_powerbi_semantic_models" "imported" {
  integration    = entropydata_powerbi_integration.finance.external_id
  include_tables = true # for the output below; leave it off when you only iterate the models
  depends_on     = [entropydata_powerbi_integration.finance]
}

data "entropydata_powerbi_reports" "imported" {
  integration = entropydata_powerbi_integration.finance.external_id
  depends_on  = [entropydata_powerbi_integration.finance]
}

data "entropydata_powerbi_semantic_model" "revenue" {
  integration = entropydata_powerbi_integration.finance.external_id
  workspace   = "Finance"
  name        = "Revenue"
  depends_on  = [entropydata_powerbi_integration.finance]
}

data "entropydata_powerbi_report" "revenue_overview" {
  integration = entropydata_powerbi_integration.finance.external_id
  workspace   = "Finance"
  name        = "Revenue Overview"
  depends_on  = [entropydata_powerbi_integration.finance]
}

# Bound to the Revenue model although it lives in another workspace.
data "entropydata_powerbi_report" "revenue_by_region" {
  integration = entropydata_powerbi_integration.finance.external_id
  workspace   = "Sales Analytics"
  name        = "Revenue by Region"
  depends_on  = [entropydata_powerbi_integration.finance]
}

# The semantic model as a governed data product, fed by the Snowflake orders.
resource "entropydata_powerbi_data_product" "revenue" {
  id              = "revenue-model"
  type            = "semantic_model"
  asset_id        = data.entropydata_powerbi_semantic_model.revenue.id
  title           = "Revenue Model"
  description     = "Revenue by order line, customer and day, for finance reporting."
  owner_team      = "finance"
  classification  = "business"
  confidentiality = "internal"
  tags            = ["finance", "revenue"]

  upstream = [{ data_product_id = "snowflake-orders", output_port_id = "orders" }]
}

# A report data product that names its upstream explicitly...
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

# ...and one linked to the model's data product automatically.
resource "entropydata_powerbi_data_product" "revenue_by_region" {
  id         = "revenue-by-region"
  type       = "report"
  asset_id   = data.entropydata_powerbi_report.revenue_by_region.id
  title      = "Revenue by Region"
  owner_team = "sales"
  depends_on = [entropydata_powerbi_data_product.revenue]
}

output "imported_semantic_models" {
  value = [for m in data.entropydata_powerbi_semantic_models.imported.semantic_models : "${m.workspace_name} / ${m.name} (${length(data.entropydata_powerbi_semantic_models.imported.tables[m.id])} tables)"]
}

output "imported_reports" {
  value = [for r in data.entropydata_powerbi_reports.imported.reports : "${r.workspace_name} / ${r.name}${r.semantic_model_name == null ? "" : " -> ${r.semantic_model_name}"}"]
}

output "lineage" {
  value = {
    for dp in [
      entropydata_powerbi_data_product.revenue,
      entropydata_powerbi_data_product.revenue_overview,
      entropydata_powerbi_data_product.revenue_by_region,
    ] : dp.id => [for u in dp.upstream : "${u.data_product_id}/${u.output_port_id} (${u.status})"]
  }
}

output "revenue_model_output_port" {
  value = {
    for name, t in entropydata_powerbi_data_product.revenue.output_port.tables : name => [for col, type in t.columns : "${col}: ${type}"]
  }
}

output "schedule" {
  value = entropydata_powerbi_integration.finance.schedule.description
}

output "next_runs" {
  value = entropydata_powerbi_integration.finance.schedule.next_runs
}

output "latest_run" {
  value = {
    status   = entropydata_powerbi_integration.finance.latest_run.status
    imported = entropydata_powerbi_integration.finance.latest_run.assets_processed
    message  = entropydata_powerbi_integration.finance.latest_run.message
  }
}
