# Terraform >= 1.14. Invoke on demand:
#   terraform apply -invoke=action.entropydata_powerbi_integration_run.finance
action "entropydata_powerbi_integration_run" "finance" {
  config {
    integration = entropydata_powerbi_integration.finance.external_id
    timeout     = "45m" # the run goes on in Entropy Data if waiting stops
  }
}

# Or run the import whenever a governed data product is created or changed,
# so its lineage and quality show at once.
resource "entropydata_powerbi_data_product" "revenue" {
  id         = "revenue-model"
  type       = "semantic_model"
  asset_id   = data.entropydata_powerbi_semantic_model.revenue.id
  title      = "Revenue Model"
  owner_team = "finance"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.entropydata_powerbi_integration_run.finance]
    }
  }
}
