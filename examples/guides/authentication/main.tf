terraform {
  required_providers {
    entropydata = {
      source = "entropy-data/entropydata"
    }
  }
}

# Usually nothing goes here: the provider reads ENTROPY_DATA_HOST and
# ENTROPY_DATA_API_KEY. When the key must come from elsewhere (a secrets
# manager, a workspace variable), pass it through a sensitive variable.
variable "entropy_data_api_key" {
  type      = string
  sensitive = true
  default   = null # null: fall back to ENTROPY_DATA_API_KEY
}

provider "entropydata" {
  api_key = var.entropy_data_api_key
  # host  = "https://entropy.example.com" # self-hosted; or ENTROPY_DATA_HOST
}

# Any read shows whether the key works: a 401 or 403 fails the plan here.
data "entropydata_powerbi_semantic_models" "all" {}

output "semantic_models_visible" {
  value = length(data.entropydata_powerbi_semantic_models.all.semantic_models)
}
