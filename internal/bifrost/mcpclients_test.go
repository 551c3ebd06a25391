package bifrost_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/mcptest"
)

// TestMCPClients covers the MCP client calls against the emulator and the
// test MCP server: create with a client-chosen id, read through the list
// (ns interval, redacted secrets), update, delete, and the recorded 500 of a
// delete of an unknown id, returned as not found.
func TestMCPClients(t *testing.T) {
	srv := mcptest.Start(t)
	emu, err := emulator.Start(emulator.Options{Version: "v1.5.1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	c, err := bifrost.New(bifrost.Config{Endpoint: emu.URL(), RequestTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if all, err := c.ListMCPClients(ctx); err != nil || len(all) != 0 {
		t.Fatalf("empty list: %v %v", all, err)
	}
	url := bifrost.Literal(srv.URL)
	in := bifrost.MCPClientRequest{ClientID: "c1", Name: "tools", ConnectionType: "http", ConnectionString: &url,
		ToolsToExecute: []string{"echo"}, ToolSyncInterval: 3, ToolsToAutoExecute: []string{"echo"},
		ToolPricing: map[string]float64{"echo": 0.001}, IsCodeModeClient: true, AllowOnAllVirtualKeys: true}
	if err := c.CreateMCPClient(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetMCPClient(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Config.Name != "tools" || got.Config.ToolSyncInterval != 3*time.Minute || got.State != "connected" || len(got.Tools) != 3 ||
		got.Config.ConnectionString == nil || got.Config.ConnectionString.Value != bifrost.Mask(srv.URL) {
		t.Errorf("got %+v", got)
	}
	if cfg := got.Config; strings.Join(cfg.ToolsToAutoExecute, ",") != "echo" || cfg.ToolPricing["echo"] != 0.001 ||
		!cfg.IsCodeModeClient || !cfg.AllowOnAllVirtualKeys {
		t.Errorf("new fields not stored: %+v", cfg)
	}
	// An update keeps tools_to_auto_execute when nil (null) and replaces
	// tool_pricing, is_code_mode_client and allow_on_all_virtual_keys.
	in.ClientID, in.ConnectionString, in.Disabled = "", nil, true
	in.ToolsToAutoExecute, in.ToolPricing, in.IsCodeModeClient, in.AllowOnAllVirtualKeys = nil, nil, false, false
	if err := c.UpdateMCPClient(ctx, "c1", in); err != nil {
		t.Fatal(err)
	}
	if got, _ = c.GetMCPClient(ctx, "c1"); !got.Config.Disabled || strings.Join(got.Config.ToolsToAutoExecute, ",") != "echo" ||
		len(got.Config.ToolPricing) != 0 || got.Config.IsCodeModeClient || got.Config.AllowOnAllVirtualKeys {
		t.Errorf("after update: %+v", got.Config)
	}
	in.ToolsToAutoExecute = []string{}
	if err := c.UpdateMCPClient(ctx, "c1", in); err != nil {
		t.Fatal(err)
	}
	if got, _ = c.GetMCPClient(ctx, "c1"); len(got.Config.ToolsToAutoExecute) != 0 {
		t.Errorf("auto-execute not cleared: %+v", got.Config)
	}
	if err := c.UpdateMCPClient(ctx, "nope", in); !bifrost.IsNotFound(err) {
		t.Errorf("update unknown: %v", err)
	}
	if err := c.DeleteMCPClient(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	err = c.DeleteMCPClient(ctx, "c1")
	if !bifrost.IsNotFound(err) || !strings.Contains(err.Error(), "MCP client with id 'c1' not found") {
		t.Errorf("second delete: %v", err)
	}
	if _, err := c.GetMCPClient(ctx, "c1"); !bifrost.IsNotFound(err) {
		t.Errorf("get deleted: %v", err)
	}
}

// TestMCPClientCreateOutlastsRequestTimeout: the create waits for the
// connection longer than Config.RequestTimeout bounds other requests.
func TestMCPClientCreateOutlastsRequestTimeout(t *testing.T) {
	emu, err := emulator.Start(emulator.Options{Version: "v1.5.1", MCPConnectDelay: 1500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	c, err := bifrost.New(bifrost.Config{Endpoint: emu.URL(), RequestTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	url := bifrost.Literal("http://127.0.0.1:9/mcp")
	err = c.CreateMCPClient(context.Background(), bifrost.MCPClientRequest{Name: "tools", ConnectionType: "http", ConnectionString: &url, ToolsToExecute: []string{}})
	if err == nil || !strings.Contains(err.Error(), "Failed to connect MCP client") {
		t.Errorf("expected Bifrost's connection error, got %v", err)
	}
}

// TestMCPClientStdio creates a stdio client (the test MCP server's stdio
// build) and reads its stdio_config back through the list.
func TestMCPClientStdio(t *testing.T) {
	bin := mcptest.BuildStdio(t)
	emu, err := emulator.Start(emulator.Options{Version: "v1.5.1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	c, err := bifrost.New(bifrost.Config{Endpoint: emu.URL(), RequestTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sc := &bifrost.MCPStdioConfig{Command: bin, Args: []string{}, Envs: []string{"MCP_MODE=test"}}
	in := bifrost.MCPClientRequest{ClientID: "s1", Name: "local", ConnectionType: "stdio", StdioConfig: sc, ToolsToExecute: []string{"*"}}
	if err := c.CreateMCPClient(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetMCPClient(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Config.ConnectionType != "stdio" || got.Config.StdioConfig == nil || got.Config.StdioConfig.Command != bin ||
		strings.Join(got.Config.StdioConfig.Envs, ",") != "MCP_MODE=test" || got.Config.ConnectionString != nil || len(got.Tools) != 3 {
		t.Errorf("got %+v", got)
	}
	if err := c.DeleteMCPClient(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
}
