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
    github = {
      source  = "integrations/github"
      version = "6.9.0"
    }
  }

  # Partial configuration: bucket and region come from `terraform init -backend-config=...`
  # (see the bootstrap module's backend_config output). Both locks on, as in the runner module.
  backend "s3" {
    key            = "standby/orchestrator.tfstate"
    dynamodb_table = "standby-terraform-locks"
    use_lockfile   = true
    encrypt        = true
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = {
      Purpose   = "standby-orchestrator"
      ManagedBy = "standby"
    }
  }
}

# The token comes from GITHUB_TOKEN (a repository admin), never from a variable in state.
provider "github" {
  owner    = var.github_owner
  base_url = "${local.github_api_url}/"
}
