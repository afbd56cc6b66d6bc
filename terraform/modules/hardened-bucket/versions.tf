terraform {
  # The same floor as the root modules that call this one (checked by the tests against ../../versions.json).
  required_version = ">= 1.11.0, < 2.0.0"

  # The exact release the root modules pin (and whose schema the tests check every block against); a
  # child module's pin must agree with its callers', so move all of them together.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.25.0"
    }
  }
}
