# A Bifrost server has one client configuration; its id is always client_config.
terraform import bifrost_client_config.this client_config
