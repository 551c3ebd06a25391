variable "otel_api_key" {
  type      = string
  sensitive = true
}

# The built-in OpenTelemetry plugin, exporting traces to a collector.
resource "bifrost_plugin" "otel" {
  name    = "otel"
  enabled = true
  config = jsonencode({
    collector_url = "http://otel-collector.internal:4318"
    trace_type    = "otel"
    protocol      = "http"
    headers = {
      "x-api-key" = var.otel_api_key
    }
  })
}

# A custom plugin loaded from a shared object on the Bifrost server, run
# before the built-in plugins.
resource "bifrost_plugin" "audit" {
  name      = "audit"
  path      = "/opt/bifrost/plugins/audit.so"
  placement = "pre_builtin"
  order     = 1
  config    = jsonencode({ destination = "s3://audit-logs" })
}
