# By id:
terraform import bifrost_virtual_key.search_app 5b1f0c7e-2a4d-4e8b-9c3f-7d6e1a2b3c4d

# By name (virtual key names are unique):
terraform import bifrost_virtual_key.search_app name=search-app
