variable "powerbi_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true # only write-only arguments and other ephemeral values may use it
}

resource "entropydata_powerbi_integration" "finance" {
  external_id = "finance-powerbi"
  name        = "Finance Power BI"
  description = "Semantic models and reports of the Finance workspaces"
  owner_team  = "finance"

  credentials = {
    tenant_id                = "44c1f453-7899-4a89-8432-5523301e1e30"
    client_id                = "78d9aba1-761e-43ea-b980-aa59e2812c54"
    client_secret_wo         = var.powerbi_client_secret # write-only: Terraform >= 1.11, never in plan or state
    client_secret_wo_version = 1                         # bump to send a rotated secret
  }

  filters = {
    workspaces      = { include = ["Finance*"], exclude = ["*Sandbox*"] }
    semantic_models = { include = ["*"] }
    reports         = { exclude = ["*(old)"] }
  }

  # A preset, or a 5-field cron in UTC: schedule = { cron = "0 6 * * 1-5" }
  schedule = { preset = "daily" }

  # Import right away and wait, so later resources see the assets.
  run_on_apply = true
  timeouts = {
    create = "30m"
  }
}
