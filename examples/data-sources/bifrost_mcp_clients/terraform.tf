# Not rendered in the docs: lets `terraform validate` check the examples of
# this folder against the locally built provider.
terraform {
  required_providers {
    bifrost = {
      source = "maximhq/bifrost"
    }
  }
}
