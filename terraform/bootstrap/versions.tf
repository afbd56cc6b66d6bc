terraform {
  # The exact version is pinned in ../versions.json; this floor is checked against it by the tests.
  required_version = ">= 1.11.0, < 2.0.0"

  # Exact provider releases: the ones whose schema test/terraform/provider-schema.test.ts checks every
  # block against (requirements-provider-schemas.txt). Move a pin and its schema package together.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.25.0"
    }
  }
  # No backend: this module creates the backend. Its own state stays local (keep the file safe, or
  # migrate it into the bucket it created with `terraform init -migrate-state`, see docs/terraform.md).
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = {
      Purpose   = "standby-state"
      ManagedBy = "standby"
    }
  }
}
