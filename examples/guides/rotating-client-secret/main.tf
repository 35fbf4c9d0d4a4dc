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
  ephemeral = true # from the secret store on every run
}

variable "powerbi_client_secret_version" {
  type        = number
  description = "Increase to send powerbi_client_secret to Entropy Data, e.g. after a rotation."
  default     = 1
}

resource "entropydata_powerbi_integration" "finance" {
  external_id = "finance-powerbi"
  name        = "Finance Power BI"
  owner_team  = "finance"

  credentials = {
    tenant_id                = var.powerbi_tenant_id
    client_id                = var.powerbi_client_id
    client_secret_wo         = var.powerbi_client_secret # write-only: Terraform >= 1.11
    client_secret_wo_version = var.powerbi_client_secret_version
  }

  filters  = { workspaces = { include = ["Finance*"] } }
  schedule = { preset = "daily" }

  # Prove the new secret at once instead of at the next scheduled import.
  run_on_apply = true
}
