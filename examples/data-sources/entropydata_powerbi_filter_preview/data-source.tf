# The data source takes the client secret from the environment of the machine
# running Terraform, never from the configuration, so it cannot reach the state:
#   export ENTROPY_DATA_POWERBI_CLIENT_SECRET='<the secret value>'

locals {
  # One set of filters, shared by the preview and the integration.
  finance_filters = {
    workspaces      = { include = ["Finance*"], exclude = ["*Sandbox*"] }
    semantic_models = { exclude = ["*(old)"] }
    reports         = { exclude = ["*(old)"] }
  }
}

data "entropydata_powerbi_filter_preview" "finance" {
  tenant_id = "44c1f453-7899-4a89-8432-5523301e1e30"
  client_id = "78d9aba1-761e-43ea-b980-aa59e2812c54"
  filters   = local.finance_filters
}

output "finance_selection" {
  value = {
    workspaces      = data.entropydata_powerbi_filter_preview.finance.workspaces
    semantic_models = data.entropydata_powerbi_filter_preview.finance.semantic_models
    reports         = data.entropydata_powerbi_filter_preview.finance.reports
  }
}
