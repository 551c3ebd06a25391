// Package mcptest is a tiny MCP server for tests: Streamable HTTP on
// loopback, started by the test that needs it and stopped at its end. It
// serves three tools (echo, add, now), built with the official MCP SDK for
// Go, so that a Bifrost (or the emulator) can connect to it, list its tools
// and grant them to virtual keys.
package mcptest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Tools are the names of the tools the server offers, in the order it lists them.
var Tools = []string{"add", "echo", "now"}

// Server is a running test MCP server.
type Server struct {
	// URL is the Streamable HTTP endpoint (http://127.0.0.1:port/mcp).
	URL string

	http *httptest.Server
	mu   sync.Mutex
	hdrs []http.Header // the headers of every request received
}

type echoIn struct {
	Text string `json:"text" jsonschema:"the text to echo"`
}

type echoOut struct {
	Text string `json:"text"`
}

type addIn struct {
	A float64 `json:"a" jsonschema:"the first addend"`
	B float64 `json:"b" jsonschema:"the second addend"`
}

type addOut struct {
	Sum float64 `json:"sum"`
}

type nowOut struct {
	Time string `json:"time"`
}

// NewMCPServer is the MCP server itself, with its tools.
func NewMCPServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "bifrost-test-mcp", Version: "1.0.0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "echo", Description: "Echoes its text."},
		func(_ context.Context, _ *mcp.CallToolRequest, in echoIn) (*mcp.CallToolResult, echoOut, error) {
			return nil, echoOut(in), nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "add", Description: "Adds two numbers."},
		func(_ context.Context, _ *mcp.CallToolRequest, in addIn) (*mcp.CallToolResult, addOut, error) {
			return nil, addOut{Sum: in.A + in.B}, nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "now", Description: "The current time (UTC, RFC 3339)."},
		func(_ context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, nowOut, error) {
			return nil, nowOut{Time: time.Now().UTC().Format(time.RFC3339)}, nil
		})
	return s
}

// Start starts a test MCP server on a loopback port, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	mcpServer := NewMCPServer()
	handler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return mcpServer }, nil)
	srv := &Server{}
	srv.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.mu.Lock()
		srv.hdrs = append(srv.hdrs, r.Header.Clone())
		srv.mu.Unlock()
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	srv.URL = srv.http.URL + "/mcp"
	return srv
}

// Close stops the server (Start does it at the end of the test).
func (s *Server) Close() {
	s.http.CloseClientConnections()
	s.http.Close()
}

// SawHeader reports whether any request received carried header name with value.
func (s *Server) SawHeader(name, value string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.hdrs {
		if h.Get(name) == value {
			return true
		}
	}
	return false
}
