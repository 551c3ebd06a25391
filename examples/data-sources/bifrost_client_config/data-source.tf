# The server's client settings, and whether changed settings wait for a restart.
data "bifrost_client_config" "current" {}

output "log_retention_days" {
  value = data.bifrost_client_config.current.log_retention_days
}

output "restart_pending" {
  value = data.bifrost_client_config.current.restart_required ? data.bifrost_client_config.current.restart_reason : "no"
}
