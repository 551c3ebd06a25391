variable "otel_token" {
  type      = string
  sensitive = true
}

# The built-in OpenTelemetry plugin, typed: traces (and metrics) to one OTLP
# collector. The headers are sensitive; headers_wo with headers_wo_version
# keeps them out of the state (Terraform >= 1.11).
resource "bifrost_plugin" "otel" {
  name = "otel"
  otel_config = {
    collector_url    = "http://otel-collector.internal:4318/v1/traces"
    trace_type       = "genai_extension"
    protocol         = "http"
    service_name     = "bifrost-gateway"
    headers          = { Authorization = "Bearer ${var.otel_token}" }
    metrics_enabled  = true
    metrics_endpoint = "http://otel-collector.internal:4318/v1/metrics"
  }
}

variable "maxim_api_key" {
  type      = string
  sensitive = true
}

# The built-in Maxim plugin, with its typed configuration.
resource "bifrost_plugin" "maxim" {
  name = "maxim"
  maxim_config = {
    api_key     = var.maxim_api_key
    log_repo_id = "bifrost-logs"
  }
}

# The built-in semantic cache, typed: fields left out take Bifrost's defaults.
resource "bifrost_plugin" "semantic_cache" {
  name = "semantic_cache"
  semantic_cache_config = {
    provider        = "openai"
    embedding_model = "text-embedding-3-small"
    dimension       = 1536
    ttl             = "10m"
    threshold       = 0.85
  }
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

variable "webhook_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# A custom plugin whose configuration is write-only (Terraform >= 1.11): sent
# to Bifrost, never stored in the plan or state. Bump config_wo_version to
# send a new one.
resource "bifrost_plugin" "webhook" {
  name              = "webhook"
  path              = "/opt/bifrost/plugins/webhook.so"
  config_wo         = jsonencode({ url = "https://hooks.internal/bifrost", token = var.webhook_token })
  config_wo_version = 1
}
