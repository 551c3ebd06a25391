# A Bifrost behind a private CA and a proxy that needs its own header,
# with a longer per-request timeout and more retries.
provider "bifrost" {
  endpoint     = "https://bifrost.corp.example"
  token        = var.bifrost_token
  ca_cert_file = "/etc/ssl/corp/ca.pem" # or ca_cert_pem = file(...)

  headers = {
    "X-Proxy-Team" = "platform"
  }

  request_timeout = "60s" # one attempt; Go duration syntax
  max_retries     = 8     # for 429, 503 and idempotent 502/504/connection errors
}

variable "bifrost_token" {
  type      = string
  sensitive = true
}
