# Terraform >= 1.14: `terraform query -generate-config-out=generated.tf`
list "entropydata_powerbi_integration" "finance" {
  provider         = entropydata
  include_resource = true
  config {
    owner_team = "finance"
    name       = "Finance*"
  }
}

list "entropydata_powerbi_data_product" "finance" {
  provider         = entropydata
  include_resource = true
  config {
    owner_team = "finance"
  }
}
