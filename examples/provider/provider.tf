terraform {
  required_providers {
    entropydata = {
      source = "entropy-data/entropydata"
    }
  }
}

# Host and API key come from the environment, so that the same code runs
# against production, a self-hosted instance or the sandbox, and the key stays
# out of the code:
#   ENTROPY_DATA_HOST     (defaults to https://api.entropy-data.com)
#   ENTROPY_DATA_API_KEY
provider "entropydata" {
  # Optional tuning; the defaults suit most pipelines.
  request_timeout = "30s"
  max_retries     = 4
}
