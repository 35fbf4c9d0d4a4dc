data "entropydata_powerbi_integration_runs" "finance" {
  integration = "finance-powerbi"
  limit       = 10
}

# Fail the pipeline when the latest import failed.
check "powerbi_import_healthy" {
  assert {
    condition     = try(data.entropydata_powerbi_integration_runs.finance.runs[0].status, "none yet") != "FAILED"
    error_message = "The latest Power BI import failed: ${try(data.entropydata_powerbi_integration_runs.finance.runs[0].message, "")}"
  }
}

output "import_history" {
  value = [for r in data.entropydata_powerbi_integration_runs.finance.runs : "${r.started_at} ${r.status} (${r.assets_processed} assets)"]
}
