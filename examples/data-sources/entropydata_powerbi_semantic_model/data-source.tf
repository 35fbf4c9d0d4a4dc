# Exactly one semantic model, by name. workspace and integration narrow the
# lookup; it fails when no model or several models match.
data "entropydata_powerbi_semantic_model" "revenue" {
  integration = "finance-powerbi"
  workspace   = "Finance"
  name        = "Revenue"
}

# Or by asset id, e.g. from a report's semantic_model_id.
data "entropydata_powerbi_semantic_model" "by_id" {
  id = "powerbi-a41c6e03-d0a2-4efc-a537-66dcef7605a9"
}

output "revenue_model" {
  value = {
    asset_id  = data.entropydata_powerbi_semantic_model.revenue.id
    workspace = data.entropydata_powerbi_semantic_model.revenue.workspace_name
    open_in   = data.entropydata_powerbi_semantic_model.revenue.web_url
    tables    = [for t in data.entropydata_powerbi_semantic_model.revenue.tables : t.name]
  }
}
