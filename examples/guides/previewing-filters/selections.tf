# The filter examples of the guide, each as a preview of what it selects in
# the sandbox's demo tenant (run with `make sandbox`'s exports).

data "entropydata_powerbi_filter_preview" "exact_names" {
  tenant_id = "44c1f453-7899-4a89-8432-5523301e1e30"
  client_id = "78d9aba1-761e-43ea-b980-aa59e2812c54"
  filters = {
    workspaces = { include = ["Finance", "Marketing"] }
  }
}

data "entropydata_powerbi_filter_preview" "wildcards" {
  tenant_id = "44c1f453-7899-4a89-8432-5523301e1e30"
  client_id = "78d9aba1-761e-43ea-b980-aa59e2812c54"
  filters = {
    workspaces      = { include = ["finance*"] }
    semantic_models = { include = ["rev*"] }
    reports         = { include = ["*kpis", "*what-if"] }
  }
}

data "entropydata_powerbi_filter_preview" "guids" {
  tenant_id = "44c1f453-7899-4a89-8432-5523301e1e30"
  client_id = "78d9aba1-761e-43ea-b980-aa59e2812c54"
  filters = {
    workspaces      = { include = ["2b420012-9036-4823-86d6-3d1992bf923c", "5ac582ba-2952-405f-809f-fdcb173cd577"] }
    semantic_models = { include = ["830e79d6-f931-4b4d-a63e-bf6d8ff9baa4"] }
  }
}

data "entropydata_powerbi_filter_preview" "exclude_wins" {
  tenant_id = "44c1f453-7899-4a89-8432-5523301e1e30"
  client_id = "78d9aba1-761e-43ea-b980-aa59e2812c54"
  filters = {
    workspaces      = { include = ["Finance*"], exclude = ["*Sandbox*"] }
    semantic_models = { exclude = ["*(old)"] }
    reports         = { include = ["Revenue Overview", "Revenue Overview (old)"], exclude = ["*(old)"] }
  }
}

output "selections" {
  value = {
    for name, p in {
      exact_names  = data.entropydata_powerbi_filter_preview.exact_names
      wildcards    = data.entropydata_powerbi_filter_preview.wildcards
      guids        = data.entropydata_powerbi_filter_preview.guids
      exclude_wins = data.entropydata_powerbi_filter_preview.exclude_wins
    } : name => { workspaces = p.workspaces, semantic_models = p.semantic_models, reports = p.reports }
  }
}
