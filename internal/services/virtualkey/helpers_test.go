package virtualkey_test

import "github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

func tfjsonPath(name string) tfjsonpath.Path { return tfjsonpath.New(name) }
