# Inside a check block, a failure to read Power BI (or a failed assertion) is
# a warning: the plan goes on.
check "finance_filters" {
  data "entropydata_powerbi_filter_preview" "finance_check" {
    tenant_id         = "44c1f453-7899-4a89-8432-5523301e1e30"
    client_id         = "78d9aba1-761e-43ea-b980-aa59e2812c54"
    client_secret_env = "FINANCE_POWERBI_SECRET" # another variable than the default
    filters = {
      workspaces      = { include = ["Finance*"], exclude = ["*Sandbox*"] }
      semantic_models = { exclude = ["*(old)"] }
    }
  }

  assert {
    condition     = contains(data.entropydata_powerbi_filter_preview.finance_check.semantic_models, "Finance/Revenue")
    error_message = "The Finance filters no longer select the Revenue model."
  }

  assert {
    condition     = !contains(data.entropydata_powerbi_filter_preview.finance_check.workspaces, "Finance Sandbox")
    error_message = "The Finance filters select the sandbox workspace."
  }
}
