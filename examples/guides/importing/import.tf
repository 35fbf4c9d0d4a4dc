terraform {
  required_version = ">= 1.11" # import blocks with for_each need >= 1.7
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

# The integration, made in the Entropy Data UI or by another configuration.
import {
  to = entropydata_powerbi_integration.finance
  id = "finance-powerbi"
}

resource "entropydata_powerbi_integration" "finance" {
  external_id = "finance-powerbi"
  name        = "Finance Power BI"
  description = "Semantic models and reports of the Finance workspaces"
  owner_team  = "finance"

  # Entropy Data never returns the credential: the first apply sends it.
  credentials = {
    tenant_id                = var.powerbi_tenant_id
    client_id                = var.powerbi_client_id
    client_secret_wo         = var.powerbi_client_secret # write-only: Terraform >= 1.11
    client_secret_wo_version = 1
  }

  filters = {
    workspaces      = { include = ["Finance*", "Sales Analytics"], exclude = ["*Sandbox*"] }
    semantic_models = { exclude = ["*(old)"] }
    reports         = { exclude = ["*(old)"] }
  }
  schedule = { preset = "daily" }
}

# The report data products, one import block for all of them.
locals {
  reports = {
    revenue-overview  = { workspace = "Finance", name = "Revenue Overview", title = "Revenue Overview", owner_team = "finance" }
    revenue-by-region = { workspace = "Sales Analytics", name = "Revenue by Region", title = "Revenue by Region", owner_team = "sales" }
  }
}

import {
  for_each = local.reports
  to       = entropydata_powerbi_data_product.report[each.key]
  id       = each.key
}

data "entropydata_powerbi_report" "imported" {
  for_each = local.reports

  integration = "finance-powerbi"
  workspace   = each.value.workspace
  name        = each.value.name
}

resource "entropydata_powerbi_data_product" "report" {
  for_each = local.reports

  id         = each.key
  type       = "report"
  asset_id   = data.entropydata_powerbi_report.imported[each.key].id
  title      = each.value.title
  owner_team = each.value.owner_team
}
