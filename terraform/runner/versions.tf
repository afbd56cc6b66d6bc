terraform {
  # The exact version is pinned in ../versions.json; this floor is checked against it by the tests.
  # 1.11 is the first release with S3-native state locking (use_lockfile) as a stable feature.
  required_version = ">= 1.11.0, < 2.0.0"

  # Exact provider releases: the ones whose schema test/terraform/provider-schema.test.ts checks every
  # block against (requirements-provider-schemas.txt). Move a pin and its schema package together.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.25.0"
    }
  }

  # Partial configuration: bucket, region (and usually key and dynamodb_table) come from
  # `terraform init -backend-config=...`, which the bringup and teardown actions always pass.
  # Both locks are on: S3-native lockfile, and the DynamoDB table (deprecated upstream since 1.11, kept
  # so older tooling sharing this state still honours the lock).
  backend "s3" {
    key            = "standby/runner.tfstate"
    dynamodb_table = "standby-terraform-locks"
    use_lockfile   = true
    encrypt        = true
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = var.account_id == null ? null : [var.account_id]

  default_tags {
    tags = local.tags
  }
}
