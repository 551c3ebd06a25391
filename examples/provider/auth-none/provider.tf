# Bifrost with dashboard authentication off (the default of a fresh
# Bifrost before v2.2.6): only the endpoint is needed.
provider "bifrost" {
  endpoint = "http://localhost:8080"
}
