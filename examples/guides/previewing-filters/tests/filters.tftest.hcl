# tests/filters.tftest.hcl, next to the configuration with data-source.tf above
run "finance_filters" {
  command = plan

  assert {
    condition     = data.entropydata_powerbi_filter_preview.finance.workspaces == tolist(["Finance"])
    error_message = "The Finance filters select ${jsonencode(data.entropydata_powerbi_filter_preview.finance.workspaces)}."
  }

  assert {
    condition     = contains(data.entropydata_powerbi_filter_preview.finance.semantic_models, "Finance/Revenue")
    error_message = "The Finance filters no longer select the Revenue model."
  }
}
