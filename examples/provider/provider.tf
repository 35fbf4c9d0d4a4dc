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

  # A self-hosted instance (or a proxy) behind a private certificate
  # authority: its PEM certificate, trusted in addition to the system's.
  # ca_cert_file = "/etc/pki/corp-root-ca.pem" # or ENTROPY_DATA_CA_CERT_FILE

  # A Power BI tenant in a national cloud (public, usgov, usgovhigh, usdod, china).
  # cloud = "usgovhigh" # or ENTROPY_DATA_CLOUD
}
