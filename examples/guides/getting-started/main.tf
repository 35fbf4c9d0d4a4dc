terraform {
  required_version = ">= 1.11" # write-only arguments (client_secret_wo)
  required_providers {
    entropydata = {
      source = "entropy-data/entropydata"
    }
  }
}

# Host and API key from ENTROPY_DATA_HOST and ENTROPY_DATA_API_KEY.
provider "entropydata" {}

variable "powerbi_tenant_id" {
  type        = string
  description = "Directory (tenant) ID of the Microsoft Entra ID tenant."
}

variable "powerbi_client_id" {
  type        = string
  description = "Application (client) ID of the app registration."
}

variable "powerbi_client_secret" {
  type        = string
  description = "The client secret's Value (not its Secret ID)."
  sensitive   = true
  ephemeral   = true # never in plan or state; needs Terraform >= 1.10
}

# 1. The import of the Finance workspaces, owned by the finance team.
resource "entropydata_powerbi_integration" "finance" {
  external_id = "finance-powerbi"
  name        = "Finance Power BI"
  owner_team  = "finance" # must exist in Entropy Data (Organization > Teams)

  credentials = {
    tenant_id                = var.powerbi_tenant_id
    client_id                = var.powerbi_client_id
    client_secret_wo         = var.powerbi_client_secret # write-only: Terraform >= 1.11
    client_secret_wo_version = 1
  }

  filters = {
    workspaces = { include = ["Finance*"], exclude = ["*Sandbox*"] }
  }

  schedule = { preset = "daily" } # 06:00 UTC

  # Import now and wait, so the data source below finds the models.
  run_on_apply = true
}

# 2. What the first run imported.
data "entropydata_powerbi_semantic_model" "revenue" {
  integration = entropydata_powerbi_integration.finance.external_id
  workspace   = "Finance"
  name        = "Revenue"
  depends_on  = [entropydata_powerbi_integration.finance]
}

# 3. A governed data product on the Revenue model. Its type, "Power BI
# Semantic Model", must be enabled in Settings > Data product types.
resource "entropydata_powerbi_data_product" "revenue" {
  id         = "revenue-model"
  type       = "semantic_model"
  asset_id   = data.entropydata_powerbi_semantic_model.revenue.id
  title      = "Revenue Model"
  owner_team = "finance"
}

output "revenue_tables" {
  value = keys(entropydata_powerbi_data_product.revenue.output_port.tables)
}
