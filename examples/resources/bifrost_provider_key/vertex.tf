# Google Vertex AI with a service account (leave auth_credentials out to use
# the Application Default Credentials of the Bifrost host). The vertex
# provider must exist in Bifrost before its keys: here Terraform creates it
# (import it instead if Bifrost already has it, see bifrost_provider).
resource "bifrost_provider" "vertex" {
  name = "vertex"
}

resource "bifrost_provider_key" "vertex" {
  provider_name = bifrost_provider.vertex.name
  name          = "vertex-us-central1"

  models = ["gemini-2.0-flash", "gemini-1.5-pro"]

  vertex_key_config {
    project_id       = "my-gcp-project"
    region           = "us-central1"
    auth_credentials = var.gcp_service_account_json
  }
}

variable "gcp_service_account_json" {
  description = "Service account key file content (JSON)."
  type        = string
  sensitive   = true
}
