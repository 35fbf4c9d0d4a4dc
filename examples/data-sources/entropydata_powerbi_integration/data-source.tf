# An integration created in the Entropy Data UI (Studio -> Assets -> Manage
# Integrations), for example on a server whose integrations API is
# read-and-run only.
data "entropydata_powerbi_integration" "finance" {
  external_id = "finance-powerbi"
}

# What it imported, and its run history.
data "entropydata_powerbi_semantic_models" "finance" {
  integration = data.entropydata_powerbi_integration.finance.external_id
  name        = "Revenue*"
}

data "entropydata_powerbi_integration_runs" "finance" {
  integration = data.entropydata_powerbi_integration.finance.external_id
}

# A data product on an imported model, owned by the integration's team.
resource "entropydata_powerbi_data_product" "revenue" {
  id         = "revenue-model"
  type       = "semantic_model"
  asset_id   = data.entropydata_powerbi_semantic_models.finance.semantic_models[0].id
  title      = "Revenue Model"
  owner_team = data.entropydata_powerbi_integration.finance.owner_team
}

output "finance_import" {
  value = "${data.entropydata_powerbi_integration.finance.name}: ${data.entropydata_powerbi_integration.finance.schedule.description}, next at ${try(data.entropydata_powerbi_integration.finance.schedule.next_runs[0], "-")}"
}
