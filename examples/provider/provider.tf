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

  # A self-hosted instance (or a proxy) behind a private certificate
  # authority: its PEM certificate, trusted in addition to the system's.
  # ca_cert_file = "/etc/pki/corp-root-ca.pem" # or ENTROPY_DATA_CA_CERT_FILE

  # A Power BI tenant in a national cloud (public, usgov, usgovhigh, usdod, china).
  # cloud = "usgovhigh" # or ENTROPY_DATA_CLOUD
}
