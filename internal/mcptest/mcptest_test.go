package mcptest_test

import (
	"context"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/maximhq/terraform-provider-bifrost/internal/mcptest"
)

type headerTransport struct{ name, value string }

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.name, h.value)
	return http.DefaultTransport.RoundTrip(r)
}

// TestServer connects as Bifrost does (initialize, tools/list) and calls a tool.
func TestServer(t *testing.T) {
	srv := mcptest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	session, err := client.Connect(ctx, &mcp.StreamableClientTransport{
		Endpoint: srv.URL, HTTPClient: &http.Client{Transport: headerTransport{"Authorization", "Bearer t"}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	res, err := session.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, mcptest.Tools) {
		t.Errorf("tools %v, want %v", names, mcptest.Tools)
	}
	out, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "add", Arguments: map[string]any{"a": 2, "b": 3}})
	if err != nil || out.IsError {
		t.Fatalf("add: %v %+v", err, out)
	}
	if m, ok := out.StructuredContent.(map[string]any); !ok || m["sum"] != 5.0 {
		t.Errorf("add answered %#v", out.StructuredContent)
	}
	if !srv.SawHeader("Authorization", "Bearer t") {
		t.Error("header not seen")
	}
}

// TestStdio runs the stdio command as a stdio MCP client does (initialize,
// tools/list, a call), then sees it end when the client closes.
func TestStdio(t *testing.T) {
	bin := mcptest.BuildStdio(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: exec.Command(bin, "-pidfile", pidFile)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := session.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, mcptest.Tools) {
		t.Errorf("tools %v, want %v", names, mcptest.Tools)
	}
	out, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "hi"}})
	if err != nil || out.IsError {
		t.Fatalf("echo: %v %+v", err, out)
	}
	pid := mcptest.PIDFromFile(pidFile)
	if !mcptest.Running(pid) {
		t.Fatalf("process %d not running", pid)
	}
	if err := session.Close(); err != nil {
		t.Logf("close: %v", err)
	}
	if mcptest.Running(pid) {
		t.Errorf("process %d still running after the session closed", pid)
	}
}
