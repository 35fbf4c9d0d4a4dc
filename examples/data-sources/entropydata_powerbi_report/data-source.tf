# Exactly one report, by name and workspace.
data "entropydata_powerbi_report" "revenue_by_region" {
  workspace = "Sales Analytics"
  name      = "Revenue by Region"
}

# The semantic model it uses, here one in another workspace.
data "entropydata_powerbi_semantic_model" "used" {
  id = data.entropydata_powerbi_report.revenue_by_region.semantic_model_id
}

output "lineage" {
  value = "${data.entropydata_powerbi_report.revenue_by_region.name} (${data.entropydata_powerbi_report.revenue_by_region.workspace_name}) uses ${data.entropydata_powerbi_semantic_model.used.name} (${data.entropydata_powerbi_semantic_model.used.workspace_name})"
}
