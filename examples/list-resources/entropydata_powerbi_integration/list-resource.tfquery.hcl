# The Finance team's Power BI integrations.
list "entropydata_powerbi_integration" "finance" {
  provider         = entropydata
  include_resource = true # needed for -generate-config-out

  config {
    owner_team = "finance"
    name       = "Finance*" # `*` is the only wildcard; whole name, any case
    enabled    = true
  }
}
