terraform {
  required_version = ">= 1.11"
  required_providers {
    entropydata = {
      source = "entropy-data/entropydata"
    }
  }
}

provider "entropydata" {}

variable "powerbi_tenant_id" { type = string }
variable "powerbi_client_id" { type = string }
variable "powerbi_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "entropydata_powerbi_integration" "finance" {
  external_id = "finance-powerbi"
  name        = "Finance Power BI"
  owner_team  = "finance"

  credentials = {
    tenant_id                = var.powerbi_tenant_id
    client_id                = var.powerbi_client_id
    client_secret_wo         = var.powerbi_client_secret # write-only: Terraform >= 1.11
    client_secret_wo_version = 1
  }

  filters  = { workspaces = { include = ["Finance*"] } }
  schedule = { preset = "daily" }

  # On a runner that cannot reach login.microsoftonline.com or
  # api.powerbi.com: skip the provider's own credential check and preview.
  # Entropy Data still signs in when it runs the import.
  validate_credentials = false
  preview              = false
}

# Show the last import's result in every plan, and warn when it failed.
data "entropydata_powerbi_integration_runs" "finance" {
  integration = entropydata_powerbi_integration.finance.external_id
  limit       = 1
  depends_on  = [entropydata_powerbi_integration.finance]
}

check "powerbi_import_healthy" {
  assert {
    condition     = try(data.entropydata_powerbi_integration_runs.finance.runs[0].status, "none yet") != "FAILED"
    error_message = "The latest Power BI import failed: ${try(data.entropydata_powerbi_integration_runs.finance.runs[0].message, "")}"
  }
}
