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

resource "entropydata_powerbi_integration" "analytics" {
  external_id = "analytics-powerbi"
  name        = "Analytics Power BI"
  owner_team  = "finance"

  credentials = {
    tenant_id                = var.powerbi_tenant_id
    client_id                = var.powerbi_client_id
    client_secret_wo         = var.powerbi_client_secret # write-only: Terraform >= 1.11
    client_secret_wo_version = 1
  }

  filters = {
    workspaces      = { include = ["Finance", "Sales Analytics"] }
    semantic_models = { exclude = ["*(old)"] }
  }
  schedule     = { preset = "daily" }
  run_on_apply = true
}

# The governed models, keyed by a stable name you choose. The keys are known
# when Terraform plans, whatever Power BI contains; the key becomes part of
# the data product's id, so it must never change for a model.
locals {
  semantic_models = {
    revenue = {
      workspace  = "Finance"
      name       = "Revenue"
      title      = "Revenue Model"
      owner_team = "finance"
    }
    finance-kpis = {
      workspace  = "Finance"
      name       = "Finance KPIs"
      title      = "Finance KPIs"
      owner_team = "finance"
    }
    customer-360 = {
      workspace  = "Sales Analytics"
      name       = "Customer 360"
      title      = "Customer 360"
      owner_team = "sales"
    }
  }
}

# One lookup per model: it fails with a clear error when a model is renamed
# or no longer imported, instead of silently dropping a data product.
data "entropydata_powerbi_semantic_model" "governed" {
  for_each = local.semantic_models

  integration = entropydata_powerbi_integration.analytics.external_id
  workspace   = each.value.workspace
  name        = each.value.name
  depends_on  = [entropydata_powerbi_integration.analytics]
}

resource "entropydata_powerbi_data_product" "semantic_model" {
  for_each = local.semantic_models

  id         = "pbi-${each.key}"
  type       = "semantic_model"
  asset_id   = data.entropydata_powerbi_semantic_model.governed[each.key].id
  title      = each.value.title
  owner_team = each.value.owner_team
}

# What Power BI has that is not governed yet: a list to review, not a
# for_each source.
data "entropydata_powerbi_semantic_models" "imported" {
  integration = entropydata_powerbi_integration.analytics.external_id
  depends_on  = [entropydata_powerbi_integration.analytics]
}

output "not_yet_governed" {
  value = sort([
    for m in data.entropydata_powerbi_semantic_models.imported.semantic_models : "${m.workspace_name}/${m.name}"
    if !contains([for k, v in local.semantic_models : "${v.workspace}/${v.name}"], "${m.workspace_name}/${m.name}")
  ])
}
