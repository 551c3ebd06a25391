# By customer id (customer names are not unique in Bifrost v1.5.1):
terraform import bifrost_customer.acme 5b1e2f0c-7d4a-4c9e-9b2f-3a6d8e1c4f70

# By name, only when exactly one customer has it (otherwise the error lists their ids):
terraform import bifrost_customer.acme name=acme
