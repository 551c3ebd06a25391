# Every plugin stored in Bifrost's configuration.
data "bifrost_plugins" "all" {}

output "plugin_names" {
  value = data.bifrost_plugins.all.names
}
