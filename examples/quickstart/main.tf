# Quickstart: import the Finance workspaces of Power BI into Entropy Data.
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
    client_secret_wo         = var.powerbi_client_secret
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
