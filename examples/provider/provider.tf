terraform {
  required_providers {
    entropydata = {
      source = "entropy-data/entropydata"
    }
  }
}

# The API key usually comes from the ENTROPY_DATA_API_KEY environment variable
# and the host from ENTROPY_DATA_HOST, so CI secrets stay out of the code.
provider "entropydata" {
  host = "https://api.entropy-data.com"

  # Optional tuning; the defaults suit most pipelines.
  request_timeout = "30s"
  max_retries     = 4
}
