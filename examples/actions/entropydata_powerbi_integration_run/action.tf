# Terraform >= 1.14. Invoke on demand:
#   terraform apply -invoke=action.entropydata_powerbi_integration_run.finance
action "entropydata_powerbi_integration_run" "finance" {
  config {
    integration = entropydata_powerbi_integration.finance.external_id
    timeout     = "45m" # the run goes on in Entropy Data if waiting stops
  }
}

data "entropydata_powerbi_semantic_model" "finance_kpis" {
  integration = entropydata_powerbi_integration.finance.external_id
  workspace   = "Finance"
  name        = "Finance KPIs"
  depends_on  = [entropydata_powerbi_integration.finance]
}

# Or run the import whenever a governed data product is created or changed,
# so that Entropy Data links it to the assets at once.
resource "entropydata_powerbi_data_product" "finance_kpis" {
  id         = "finance-kpis"
  type       = "semantic_model"
  asset_id   = data.entropydata_powerbi_semantic_model.finance_kpis.id
  title      = "Finance KPIs"
  owner_team = "finance"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.entropydata_powerbi_integration_run.finance]
    }
  }
}
