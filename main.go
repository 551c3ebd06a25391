// Command terraform-provider-bifrost is the Terraform provider for the
// Bifrost LLM gateway.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/maximhq/terraform-provider-bifrost/internal/provider"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/maximhq/bifrost",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
