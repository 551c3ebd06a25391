package mcpclient

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var (
	_ resource.ResourceWithConfigure      = (*mcpClientResource)(nil)
	_ resource.ResourceWithImportState    = (*mcpClientResource)(nil)
	_ resource.ResourceWithValidateConfig = (*mcpClientResource)(nil)
)

type mcpClientResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_mcp_client resource.
func NewResource() resource.Resource { return &mcpClientResource{} }

type model struct {
	ID                        types.String   `tfsdk:"id"`
	ClientID                  types.String   `tfsdk:"client_id"`
	Name                      types.String   `tfsdk:"name"`
	ConnectionType            types.String   `tfsdk:"connection_type"`
	ConnectionString          types.String   `tfsdk:"connection_string"`
	ConnectionStringWO        types.String   `tfsdk:"connection_string_wo"`
	ConnectionStringWOVersion types.Int64    `tfsdk:"connection_string_wo_version"`
	StdioConfig               types.Object   `tfsdk:"stdio_config"`
	AuthType                  types.String   `tfsdk:"auth_type"`
	Headers                   types.Map      `tfsdk:"headers"`
	HeadersWO                 types.Map      `tfsdk:"headers_wo"`
	HeadersWOVersion          types.Int64    `tfsdk:"headers_wo_version"`
	ToolsToExecute            types.Set      `tfsdk:"tools_to_execute"`
	ToolsToAutoExecute        types.Set      `tfsdk:"tools_to_auto_execute"`
	ToolPricing               types.Map      `tfsdk:"tool_pricing"`
	IsCodeModeClient          types.Bool     `tfsdk:"is_code_mode_client"`
	AllowOnAllVirtualKeys     types.Bool     `tfsdk:"allow_on_all_virtual_keys"`
	ToolSyncInterval          types.Int64    `tfsdk:"tool_sync_interval"`
	IsPingAvailable           types.Bool     `tfsdk:"is_ping_available"`
	Disabled                  types.Bool     `tfsdk:"disabled"`
	State                     types.String   `tfsdk:"state"`
	Tools                     types.Set      `tfsdk:"tools"`
	Timeouts                  timeouts.Value `tfsdk:"timeouts"`
}

// stdioModel is stdio_config.
type stdioModel struct {
	Command types.String `tfsdk:"command"`
	Args    types.List   `tfsdk:"args"`
	Envs    types.List   `tfsdk:"envs"`
}

var stdioAttrTypes = map[string]attr.Type{
	"command": types.StringType, "args": types.ListType{ElemType: types.StringType}, "envs": types.ListType{ElemType: types.StringType},
}

// kind is what the governance helpers need to know of MCP clients.
var kind = governance.Kind[bifrost.MCPClient]{
	Noun: "MCP client", UniqueNames: true, ImportHint: " Import by client_id, or by name with \"name=<client name>\".",
	ID: func(c *bifrost.MCPClient) string { return c.Config.ClientID }, Name: func(c *bifrost.MCPClient) string { return c.Config.Name },
	Get: (*bifrost.Client).GetMCPClient, List: (*bifrost.Client).ListMCPClients, Delete: (*bifrost.Client).DeleteMCPClient,
}

func (r *mcpClientResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mcp_client"
}

func (r *mcpClientResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks that headers go with auth_type "headers", that
// the tools to auto-execute are among the tools to execute, and that the
// connection is described by what its type needs.
func (r *mcpClientResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateAutoExecute(m, &resp.Diagnostics)
	validateConnection(m, &resp.Diagnostics)
	if m.AuthType.IsUnknown() {
		return
	}
	auth := m.AuthType.ValueString()
	if auth == "" {
		auth = "none"
	}
	hasHeaders := !m.Headers.IsNull() || !m.HeadersWO.IsNull()
	switch {
	case auth == "none" && hasHeaders:
		at := path.Root("headers")
		if m.Headers.IsNull() {
			at = path.Root("headers_wo")
		}
		resp.Diagnostics.AddAttributeError(at, "Headers need auth_type \"headers\"",
			"Bifrost sends the headers to the MCP server only when auth_type is \"headers\": set auth_type = \"headers\", or remove them.")
	case auth == "headers" && !hasHeaders && !m.Headers.IsUnknown():
		resp.Diagnostics.AddAttributeError(path.Root("auth_type"), "auth_type \"headers\" without headers",
			"Set headers (or headers_wo) to the headers to send to the MCP server, or use auth_type = \"none\".")
	}
}

// validateConnection applies §2.8: connection_type "stdio" takes
// stdio_config and no connection string; http and sse take exactly one of
// connection_string and connection_string_wo, and no stdio_config.
func validateConnection(m model, diags *diag.Diagnostics) {
	if m.ConnectionType.IsUnknown() {
		return
	}
	connType := m.ConnectionType.ValueString()
	if connType == "" {
		connType = "http"
	}
	hasConn := !m.ConnectionString.IsNull() || !m.ConnectionStringWO.IsNull()
	if connType == "stdio" {
		if m.StdioConfig.IsNull() {
			diags.AddAttributeError(path.Root("stdio_config"), "stdio_config required",
				"connection_type = \"stdio\" needs stdio_config: the command Bifrost runs on its own host (with its args and envs) "+
					"to speak MCP over its stdin/stdout.")
		}
		if hasConn {
			at := path.Root("connection_string")
			if m.ConnectionString.IsNull() {
				at = path.Root("connection_string_wo")
			}
			diags.AddAttributeError(at, "Connection string not allowed with stdio",
				"A stdio MCP client is a process Bifrost starts (stdio_config), not a URL: remove connection_string and connection_string_wo, "+
					"or use connection_type = \"http\" or \"sse\".")
		}
		return
	}
	if !m.StdioConfig.IsNull() {
		diags.AddAttributeError(path.Root("stdio_config"), "stdio_config needs connection_type \"stdio\"",
			fmt.Sprintf("connection_type is %q: Bifrost connects to connection_string and ignores stdio_config. Set connection_type = \"stdio\" "+
				"to run the command, or remove stdio_config.", connType))
	}
	if !hasConn {
		diags.AddAttributeError(path.Root("connection_string"), "Invalid Attribute Combination",
			fmt.Sprintf("Exactly one of connection_string and connection_string_wo must be configured for connection_type %q "+
				"(the MCP server's URL).", connType))
	}
}

// knownNames are the names of a set of strings, ok false while any is
// unknown (a null set has none).
func knownNames(s types.Set) ([]string, bool) {
	if s.IsUnknown() {
		return nil, false
	}
	var out []string
	for _, e := range s.Elements() {
		v, ok := e.(types.String)
		if !ok || v.IsUnknown() {
			return nil, false
		}
		out = append(out, v.ValueString())
	}
	return out, true
}

// validateAutoExecute applies Bifrost's rule: every tool of
// tools_to_auto_execute is in tools_to_execute (case-insensitively), unless
// that is ["*"]; "*" needs "*" there. (Bifrost also clears the tools to
// auto-execute when there is no tool to execute: refused here as well.)
func validateAutoExecute(m model, diags *diag.Diagnostics) {
	auto, ok := knownNames(m.ToolsToAutoExecute)
	if !ok || len(auto) == 0 {
		return
	}
	exec, ok := knownNames(m.ToolsToExecute)
	if !ok || (len(exec) == 1 && exec[0] == "*") {
		return
	}
	slices.Sort(auto)
	for _, tool := range auto {
		switch {
		case tool == "*":
			diags.AddAttributeError(path.Root("tools_to_auto_execute"), "Invalid tools_to_auto_execute",
				`"*" (auto-execute every tool) needs tools_to_execute = ["*"]: Bifrost refuses it otherwise. List the tools to auto-execute instead.`)
			return
		case !slices.ContainsFunc(exec, func(e string) bool { return strings.EqualFold(e, tool) }):
			diags.AddAttributeError(path.Root("tools_to_auto_execute"), "Invalid tools_to_auto_execute",
				fmt.Sprintf("The tool %q is not in tools_to_execute: Bifrost auto-executes only tools it may execute. Add it to "+
					"tools_to_execute, or remove it from tools_to_auto_execute.", tool))
			return
		}
	}
}

// request is the create/update body of m (write-only values from config).
func request(ctx context.Context, m model, config tfsdk.Config, diags *diag.Diagnostics) bifrost.MCPClientRequest {
	in := bifrost.MCPClientRequest{
		ClientID: m.ClientID.ValueString(), Name: m.Name.ValueString(),
		ConnectionType: m.ConnectionType.ValueString(), AuthType: m.AuthType.ValueString(),
		ToolsToExecute: []string{}, ToolsToAutoExecute: []string{}, Disabled: m.Disabled.ValueBool(),
		IsCodeModeClient: m.IsCodeModeClient.ValueBool(), AllowOnAllVirtualKeys: m.AllowOnAllVirtualKeys.ValueBool(),
	}
	diags.Append(m.ToolsToExecute.ElementsAs(ctx, &in.ToolsToExecute, false)...)
	slices.Sort(in.ToolsToExecute)
	if known(m.ToolsToAutoExecute) {
		diags.Append(m.ToolsToAutoExecute.ElementsAs(ctx, &in.ToolsToAutoExecute, false)...)
		slices.Sort(in.ToolsToAutoExecute)
	}
	if known(m.ToolPricing) {
		diags.Append(m.ToolPricing.ElementsAs(ctx, &in.ToolPricing, false)...)
	}
	if known(m.ToolSyncInterval) {
		in.ToolSyncInterval = m.ToolSyncInterval.ValueInt64()
	}
	if known(m.IsPingAvailable) {
		in.IsPingAvailable = m.IsPingAvailable.ValueBoolPointer()
	}
	if known(m.StdioConfig) {
		var sm stdioModel
		diags.Append(m.StdioConfig.As(ctx, &sm, basetypes.ObjectAsOptions{})...)
		in.StdioConfig = &bifrost.MCPStdioConfig{Command: sm.Command.ValueString(), Args: []string{}, Envs: []string{}}
		if known(sm.Args) {
			diags.Append(sm.Args.ElementsAs(ctx, &in.StdioConfig.Args, false)...)
		}
		if known(sm.Envs) {
			diags.Append(sm.Envs.ElementsAs(ctx, &in.StdioConfig.Envs, false)...)
		}
	}
	var connWO types.String
	diags.Append(config.GetAttribute(ctx, path.Root("connection_string_wo"), &connWO)...)
	if known(connWO) {
		in.ConnectionString = secret.Expand(connWO)
	} else {
		in.ConnectionString = secret.Expand(m.ConnectionString)
	}
	headers := m.Headers
	var headersWO types.Map
	diags.Append(config.GetAttribute(ctx, path.Root("headers_wo"), &headersWO)...)
	if !headersWO.IsNull() && !headersWO.IsUnknown() {
		headers = headersWO
	}
	if !headers.IsNull() && !headers.IsUnknown() {
		var hs map[string]types.String
		diags.Append(headers.ElementsAs(ctx, &hs, false)...)
		in.Headers = map[string]bifrost.SecretVar{}
		for k, v := range hs {
			if s := secret.Expand(v); s != nil {
				in.Headers[k] = *s
			}
		}
	}
	return in
}

type knowable interface {
	IsNull() bool
	IsUnknown() bool
}

func known(v knowable) bool { return !v.IsNull() && !v.IsUnknown() }

// flatten is the state of got; prior is what Terraform knew (the plan after
// a write, the state on refresh; a null name on import).
func flatten(ctx context.Context, got *bifrost.MCPClient, prior model, diags *diag.Diagnostics) model {
	c := got.Config
	m := prior
	m.ID, m.ClientID, m.Name = types.StringValue(c.ClientID), types.StringValue(c.ClientID), types.StringValue(c.Name)
	m.ConnectionType, m.AuthType = types.StringValue(c.ConnectionType), types.StringValue(c.AuthType)
	if m.AuthType.ValueString() == "" {
		m.AuthType = types.StringValue("none")
	}
	// A write-only connection string stays out of the state.
	if prior.ConnectionStringWOVersion.IsNull() {
		m.ConnectionString = secret.State(prior.ConnectionString, c.ConnectionString)
	}
	m.ConnectionStringWO, m.HeadersWO = types.StringNull(), types.MapNull(types.StringType)
	stdio := c.StdioConfig
	if c.ConnectionType != "stdio" {
		stdio = nil // an empty stdio_config shown for an http or sse client
	}
	m.StdioConfig = flattenStdio(ctx, stdio, prior.StdioConfig, diags)
	if prior.HeadersWOVersion.IsNull() {
		var knownHeaders map[string]types.String
		if known(prior.Headers) {
			diags.Append(prior.Headers.ElementsAs(ctx, &knownHeaders, false)...)
		}
		if len(c.Headers) == 0 {
			m.Headers = types.MapNull(types.StringType)
		} else {
			hs := map[string]attr.Value{}
			for k, v := range c.Headers {
				kv, ok := knownHeaders[k]
				if !ok {
					kv = types.StringNull()
				}
				hs[k] = secret.State(kv, &v)
			}
			var d diag.Diagnostics
			m.Headers, d = types.MapValue(types.StringType, hs)
			diags.Append(d...)
		}
	}
	tools := c.ToolsToExecute
	if tools == nil {
		tools = []string{}
	}
	var d diag.Diagnostics
	m.ToolsToExecute, d = types.SetValueFrom(ctx, types.StringType, tools)
	diags.Append(d...)
	auto := c.ToolsToAutoExecute
	if auto == nil {
		auto = []string{}
	}
	m.ToolsToAutoExecute, d = types.SetValueFrom(ctx, types.StringType, auto)
	diags.Append(d...)
	// Bifrost shows no tool_pricing when there is none: an empty map in the
	// configuration stays empty.
	switch {
	case len(c.ToolPricing) > 0:
		m.ToolPricing, d = types.MapValueFrom(ctx, types.Float64Type, c.ToolPricing)
		diags.Append(d...)
	case !known(prior.ToolPricing) || len(prior.ToolPricing.Elements()) > 0:
		m.ToolPricing = types.MapNull(types.Float64Type)
	}
	m.IsCodeModeClient, m.AllowOnAllVirtualKeys = types.BoolValue(c.IsCodeModeClient), types.BoolValue(c.AllowOnAllVirtualKeys)
	m.ToolSyncInterval = types.Int64Value(int64(c.ToolSyncInterval / time.Minute))
	if c.ToolSyncInterval < 0 {
		m.ToolSyncInterval = types.Int64Value(-1)
	}
	m.IsPingAvailable = types.BoolValue(c.IsPingAvailable == nil || *c.IsPingAvailable)
	m.Disabled = types.BoolValue(c.Disabled)
	m.State = types.StringValue(got.State)
	names := []string{}
	for _, t := range got.Tools {
		names = append(names, t.Name)
	}
	m.Tools, d = types.SetValueFrom(ctx, types.StringType, names)
	diags.Append(d...)
	if m.Timeouts.IsNull() || m.Timeouts.IsUnknown() {
		m.Timeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})}
	}
	return m
}

// flattenStdio is the state of a stdio_config read back: prior when
// Bifrost shows none; empty lists stay null when they were not set.
func flattenStdio(ctx context.Context, got *bifrost.MCPStdioConfig, prior types.Object, diags *diag.Diagnostics) types.Object {
	if got == nil {
		if prior.IsUnknown() {
			return types.ObjectNull(stdioAttrTypes)
		}
		return prior
	}
	var pm stdioModel
	if known(prior) {
		diags.Append(prior.As(ctx, &pm, basetypes.ObjectAsOptions{})...)
	}
	list := func(vs []string, was types.List) types.List {
		if len(vs) == 0 && !known(was) {
			return types.ListNull(types.StringType)
		}
		if vs == nil {
			vs = []string{}
		}
		l, d := types.ListValueFrom(ctx, types.StringType, vs)
		diags.Append(d...)
		return l
	}
	o, d := types.ObjectValueFrom(ctx, stdioAttrTypes, stdioModel{
		Command: types.StringValue(got.Command), Args: list(got.Args, pm.Args), Envs: list(got.Envs, pm.Envs),
	})
	diags.Append(d...)
	return o
}

func (r *mcpClientResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, mustDuration(createTimeout))
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if !known(plan.ClientID) {
		// Chosen before the POST: a create whose answer is lost is found
		// again by its id, never made twice.
		plan.ClientID = types.StringValue(uuid.NewString())
	}
	in := request(ctx, plan, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	disabled := in.Disabled
	in.Disabled = false // Bifrost's create ignores it
	err := r.client.CreateMCPClient(ctx, in)
	if err != nil && bifrost.MayHaveStored(err) {
		if got, gerr := r.client.GetMCPClient(ctx, in.ClientID); gerr == nil && got.Config.Name == in.Name {
			tflog.Info(ctx, "MCP client stored by this create although Bifrost's answer was an error; adopting it", map[string]any{"client_id": in.ClientID, "error": err.Error()})
			err = nil
		}
	}
	if err != nil {
		r.createError(&resp.Diagnostics, in, err)
		return
	}
	if disabled {
		in.ClientID, in.Disabled = "", true
		if err := r.client.UpdateMCPClient(ctx, plan.ClientID.ValueString(), in); err != nil {
			resp.Diagnostics.AddError("Cannot disable the MCP client",
				fmt.Sprintf("The MCP client %q was created (Bifrost's create ignores disabled), but the update that disables it failed: %s", in.Name, err))
		}
	}
	got, err := r.client.GetMCPClient(ctx, plan.ClientID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the MCP client", err.Error())
		// Keep it in the state all the same: it exists.
		plan.ID = plan.ClientID
		plan.State, plan.Tools = types.StringNull(), types.SetNull(types.StringType)
		if !known(plan.ToolSyncInterval) {
			plan.ToolSyncInterval = types.Int64Null()
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	state := flatten(ctx, got, plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func mustDuration(s string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (r *mcpClientResource) createError(diags *diag.Diagnostics, in bifrost.MCPClientRequest, err error) {
	var e *bifrost.APIError
	msg := ""
	if errors.As(err, &e) {
		msg = e.Message
	}
	switch {
	case containsAll(msg, "Failed to connect MCP client") && in.StdioConfig != nil:
		diags.AddError("Bifrost cannot start the stdio MCP server",
			fmt.Sprintf("Bifrost (%s) runs the command of stdio_config (%q) on its own host when the client %q is created, and could not "+
				"start it or speak MCP with it over stdin/stdout: the command must exist on the Bifrost host (a name is looked up in Bifrost's "+
				"PATH), with the args and envs it needs, and serve MCP on stdio.\n\nBifrost said: %s", r.client.Endpoint(), in.StdioConfig.Command, in.Name, err))
	case containsAll(msg, "Failed to connect MCP client"):
		diags.AddError("Bifrost cannot connect to the MCP server",
			fmt.Sprintf("Bifrost (%s) connects to the MCP server when the client %q is created, and could not: the server must be running "+
				"and reachable from the Bifrost host (a loopback URL is Bifrost's own host), at the URL of connection_string (for env.NAME, the "+
				"value of NAME in Bifrost's environment), with the headers it needs.\n\nBifrost said: %s", r.client.Endpoint(), in.Name, err))
	case containsAll(msg, "already exists"):
		diags.AddAttributeError(path.Root("name"), "MCP client already exists",
			fmt.Sprintf("Bifrost already has an MCP client named %q (or with client_id %q): choose another name, or adopt it with "+
				"terraform import bifrost_mcp_client.<name> %q.\n\nBifrost said: %s", in.Name, in.ClientID, "name="+in.Name, err))
	default:
		diags.AddError("Cannot create the MCP client", err.Error())
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func (r *mcpClientResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, ok := kind.Read(ctx, r.client, resp, state.ID, state.Name)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, flatten(ctx, got, state, &resp.Diagnostics))...)
}

func (r *mcpClientResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := request(ctx, plan, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// connection_string and stdio_config cannot change (a change
	// replaces): omitted, kept.
	in.ClientID, in.ConnectionString, in.StdioConfig = "", nil, nil
	id := state.ID.ValueString()
	if err := r.client.UpdateMCPClient(ctx, id, in); err != nil {
		resp.Diagnostics.AddError("Cannot update the MCP client", err.Error())
		return
	}
	got, err := r.client.GetMCPClient(ctx, id)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the MCP client", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, flatten(ctx, got, plan, &resp.Diagnostics))...)
}

func (r *mcpClientResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	kind.DeleteResource(ctx, r.client, req, resp)
}

// ImportState accepts "<client_id>" or "name=<client name>". Secrets are
// not imported in clear: Bifrost shows them redacted.
func (r *mcpClientResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	kind.ImportState(ctx, r.client, req, resp, "Expected \"<client_id>\" or \"name=<client name>\".")
}
