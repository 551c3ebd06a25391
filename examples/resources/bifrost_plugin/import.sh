# By plugin name (a plugin's name is its id):
terraform import bifrost_plugin.otel otel
