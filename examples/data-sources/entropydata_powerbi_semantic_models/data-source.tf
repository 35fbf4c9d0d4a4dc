# The certified revenue models of the Finance workspace, as imported by the
# "finance-powerbi" integration. All filters are optional and combine.
data "entropydata_powerbi_semantic_models" "finance" {
  integration = "finance-powerbi" # the integration's external_id, exact
  workspace   = "Finance"         # pattern or GUID; "Finance*" would add "Finance Sandbox"
  name        = "Revenue*"        # pattern or GUID; * is the only wildcard
}

# One governed data product per model. names maps each model's asset id to
# its name: iterate it. Terraform evaluates for_each again for every instance,
# so a small map keeps a plan of hundreds of data products fast; ids lists the
# same asset ids in order, and semantic_models has each model's workspace.
# (for_each needs the integration to exist at plan time: see the docs.)
resource "entropydata_powerbi_data_product" "model" {
  for_each = data.entropydata_powerbi_semantic_models.finance.names

  id         = "model-${trimprefix(each.key, "powerbi-")}" # the model's Power BI id
  type       = "semantic_model"
  asset_id   = each.key
  title      = each.value
  owner_team = "finance"
}

# Tables and columns, e.g. to review what a model exposes: ask for them with
# include_tables, and find a model's tables in the tables map by its id.
data "entropydata_powerbi_semantic_models" "finance_schema" {
  workspace      = "Finance"
  name           = "Revenue*"
  include_tables = true
}

output "finance_model_columns" {
  value = {
    for m in data.entropydata_powerbi_semantic_models.finance_schema.semantic_models : m.name => {
      for t in data.entropydata_powerbi_semantic_models.finance_schema.tables[m.id] :
      t.name => [for c in t.columns : "${c.name} (${c.data_type})" if !c.hidden]
      if !t.hidden
    }
  }
}
