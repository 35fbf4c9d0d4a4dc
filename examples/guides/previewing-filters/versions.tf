terraform {
  required_providers {
    entropydata = {
      source = "entropy-data/entropydata"
    }
  }
}

provider "entropydata" {}
