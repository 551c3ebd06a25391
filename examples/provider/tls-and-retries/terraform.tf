terraform {
  required_providers {
    bifrost = {
      source = "maximhq/bifrost"
    }
  }
}
