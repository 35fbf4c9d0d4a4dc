# The Finance team's Power BI report data products about revenue.
list "entropydata_powerbi_data_product" "finance_reports" {
  provider         = entropydata
  include_resource = true # needed for -generate-config-out

  config {
    owner_team = "finance"
    type       = "report" # or "semantic_model"; omit for both
    title      = "Revenue*"
  }
}
