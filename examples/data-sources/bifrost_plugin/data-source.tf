data "bifrost_plugin" "otel" {
  name = "otel"
}

output "otel_status" {
  value = data.bifrost_plugin.otel.status
}
