// Command terraform-provider-bifrost is the Terraform provider for the
// Bifrost LLM gateway.
package main

import (
	"flag"
	"log"

	"github.com/maximhq/terraform-provider-bifrost/internal/provider"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if err := provider.Serve(version, debug); err != nil {
		log.Fatal(err.Error())
	}
}
