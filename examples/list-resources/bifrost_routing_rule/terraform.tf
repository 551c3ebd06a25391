# Not rendered in the docs: `terraform query` reads the .tfquery.hcl files
# of this folder together with its .tf files, which name the provider.
terraform {
  required_providers {
    bifrost = {
      source = "maximhq/bifrost"
    }
  }
}

provider "bifrost" {}
