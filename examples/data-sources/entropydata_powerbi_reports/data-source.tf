# Every imported report whose name contains "Revenue", in any workspace.
data "entropydata_powerbi_reports" "revenue" {
  name = "*Revenue*"
}

# Reports that use a given semantic model, wherever they live: a report can
# use a model in another workspace ("Revenue by Region" in Sales Analytics
# uses "Revenue" in Finance).
data "entropydata_powerbi_semantic_model" "revenue" {
  workspace = "Finance"
  name      = "Revenue"
}

output "reports_on_revenue_model" {
  value = [
    for r in data.entropydata_powerbi_reports.revenue.reports : "${r.workspace_name} / ${r.name}"
    if r.semantic_model_id == data.entropydata_powerbi_semantic_model.revenue.id
  ]
}

# All reports of one workspace; paginated reports have no semantic model.
data "entropydata_powerbi_reports" "finance" {
  workspace = "Finance"
}

output "finance_paginated_reports" {
  value = [for r in data.entropydata_powerbi_reports.finance.reports : r.name if r.report_type == "PaginatedReport"]
}
