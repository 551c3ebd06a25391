// Command mcptest-stdio serves the test MCP server of package mcptest (the
// same tools) over stdin/stdout, for stdio MCP clients: tests build it with
// mcptest.BuildStdio and give its path as the client's command. With
// -pidfile it writes its process id there first, so that a test can see it
// end.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/maximhq/terraform-provider-bifrost/internal/mcptest"
)

func main() {
	pidFile := flag.String("pidfile", "", "write the process id to this file")
	flag.Parse()
	if *pidFile != "" {
		if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := mcptest.NewMCPServer().Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
