// Package clientconfig implements the bifrost_client_config resource (a
// singleton: Bifrost's core client settings, /api/config) and its data
// source.
package clientconfig

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// kind is the Terraform type of a setting.
type kind int

const (
	kBool kind = iota
	kInt
	kString
	kList
	kObject
)

// setting is one member of client_config managed by the resource. Its
// attribute name is its JSON name.
type setting struct {
	name string
	kind kind
	// v2: the member exists only on Bifrost ≥ 2.0.
	v2 bool
	// min: an int that Bifrost ignores (or refuses) below 1; why says so.
	min bool
	why string
	// headers: a list of header names, checked as Bifrost's header filter
	// checks them.
	headers  bool
	oneOf    []string
	restart  bool
	desc     string
	children []setting
}

// ignoredBelowOne is why the counts Bifrost only changes when > 0 must be
// at least 1.
const ignoredBelowOne = "Bifrost ignores a value below 1 (it keeps the one it has), so the plan would never settle."

// settings are the members of client_config the resource manages, in
// Bifrost's order (governance.md §2.10).
var settings = []setting{
	{name: "drop_excess_requests", kind: kBool, desc: "Drop requests beyond the queue capacity instead of making them wait."},
	{name: "initial_pool_size", kind: kInt, min: true, why: ignoredBelowOne, restart: true,
		desc: "The initial size of Bifrost's object pools and provider queues."},
	{name: "prometheus_labels", kind: kList, restart: true, desc: "Extra labels of Bifrost's Prometheus metrics, read from request headers."},
	{name: "enable_logging", kind: kBool, restart: true, desc: "Log requests and responses to the logs store."},
	{name: "disable_content_logging", kind: kBool, restart: true, desc: "Log requests' metadata only, not their content."},
	{name: "retain_content_in_object_storage", kind: kBool, v2: true, desc: "Keep request content in object storage."},
	{name: "allow_per_request_content_storage_override", kind: kBool,
		desc: "Let a request choose (by header) whether its content is stored."},
	{name: "allow_per_request_raw_override", kind: kBool, desc: "Let a request ask (by header) for the provider's raw request and response."},
	{name: "allow_direct_keys", kind: kBool, v2: true, desc: "Let requests bring their own provider keys."},
	{name: "disable_db_pings_in_health", kind: kBool, desc: "Do not ping the stores in `/health`."},
	{name: "log_retention_days", kind: kInt, min: true,
		why:  "Bifrost refuses a log_retention_days below 1 (400 \"log_retention_days must be at least 1\").",
		desc: "How many days logs are kept. At least 1: Bifrost refuses less, and a fresh Bifrost reports 0, which it would refuse back — so set it on first use."},
	{name: "enforce_auth_on_inference", kind: kBool, desc: "Require credentials (a virtual key) on inference requests."},
	{name: "allowed_origins", kind: kList, restart: true, desc: "The CORS origins allowed to call Bifrost (`*` for any)."},
	{name: "allowed_headers", kind: kList, restart: true, desc: "Extra request headers allowed by CORS."},
	{name: "max_request_body_size_mb", kind: kInt, min: true, why: ignoredBelowOne, restart: true,
		desc: "The largest request body Bifrost accepts, in MB."},
	{name: "compat", kind: kObject, desc: "Request conversions for clients of other APIs. Set only the members you manage; the others keep the server's values.",
		children: []setting{
			{name: "convert_text_to_chat", kind: kBool, desc: "Serve text completions with chat models."},
			{name: "convert_chat_to_responses", kind: kBool, desc: "Serve chat completions with the Responses API."},
			{name: "should_drop_params", kind: kBool, desc: "Drop parameters a model does not support."},
			{name: "should_convert_params", kind: kBool, desc: "Convert parameters a model does not support."},
		}},
	{name: "mcp_agent_depth", kind: kInt, min: true, why: ignoredBelowOne, desc: "The most tool-call rounds of an MCP agent loop."},
	{name: "mcp_tool_execution_timeout", kind: kInt, min: true, why: ignoredBelowOne, desc: "The timeout of an MCP tool call, in seconds."},
	{name: "mcp_code_mode_binding_level", kind: kString, oneOf: []string{"server", "tool"},
		desc: "How MCP code mode binds tools: `server` or `tool`."},
	{name: "mcp_tool_sync_interval", kind: kInt, min: true, why: ignoredBelowOne,
		desc: "How often MCP clients' tool lists are refreshed, in minutes."},
	{name: "mcp_disable_auto_tool_inject", kind: kBool, desc: "Do not add MCP tools to requests automatically."},
	{name: "mcp_enable_temp_token_auth", kind: kBool, v2: true, desc: "Accept temporary tokens on the MCP endpoint."},
	{name: "header_filter_config", kind: kObject,
		desc: "The request headers forwarded to providers (`allowlist`) or kept from them (`denylist`). Names in lower case; a `*` only at the end; " +
			"security headers (authorization, cookie, x-api-key, …) are always blocked and refused here.",
		children: []setting{
			{name: "allowlist", kind: kList, headers: true, desc: "Headers forwarded to providers."},
			{name: "denylist", kind: kList, headers: true, desc: "Headers never forwarded to providers."},
		}},
	{name: "async_job_result_ttl", kind: kInt, min: true, why: ignoredBelowOne, desc: "How long async job results are kept, in seconds."},
	{name: "required_headers", kind: kList, desc: "Headers every inference request must carry."},
	{name: "logging_headers", kind: kList, desc: "Request headers recorded in the logs."},
	{name: "whitelisted_routes", kind: kList, desc: "Routes served without authentication."},
	{name: "hide_deleted_virtual_keys_in_filters", kind: kBool, desc: "Hide deleted virtual keys in the dashboard's log filters."},
	{name: "routing_chain_max_depth", kind: kInt, min: true, why: ignoredBelowOne, desc: "The longest chain of routing rules a request follows."},
	{name: "mcp_external_server_url", kind: kString, desc: "The URL at which MCP clients reach Bifrost's MCP server (`\"\"`: none)."},
	{name: "mcp_external_client_url", kind: kString, desc: "The external URL of Bifrost as an MCP client (`\"\"`: none)."},
	{name: "dump_errors_in_console_logs", kind: kBool, v2: true, desc: "Write provider errors in full to the console log."},
}

func (s setting) attrType() attr.Type {
	switch s.kind {
	case kBool:
		return types.BoolType
	case kInt:
		return types.Int64Type
	case kString:
		return types.StringType
	case kList:
		return types.ListType{ElemType: types.StringType}
	default:
		return types.ObjectType{AttrTypes: attrTypes(s.children, false)}
	}
}

// attrTypes are the attribute types of list (with "id" when withID).
func attrTypes(list []setting, withID bool) map[string]attr.Type {
	out := map[string]attr.Type{}
	for _, s := range list {
		out[s.name] = s.attrType()
	}
	if withID {
		out["id"] = types.StringType
	}
	return out
}

// singletonID is the fixed id of the one bifrost_client_config.
const singletonID = "client_config"

// fromServer is client_config as attribute values: absent lists are empty,
// absent strings "", absent booleans and numbers (v2's members on v1.5.1)
// null.
func fromServer(cc bifrost.ClientConfig) (map[string]attr.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	b, err := json.Marshal(cc)
	var m map[string]json.RawMessage
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		diags.AddError("Cannot read the client configuration", err.Error())
		return nil, diags
	}
	out := membersFromJSON(settings, m, &diags)
	out["id"] = types.StringValue(singletonID)
	return out, diags
}

func membersFromJSON(list []setting, m map[string]json.RawMessage, diags *diag.Diagnostics) map[string]attr.Value {
	out := map[string]attr.Value{}
	for _, s := range list {
		raw, ok := m[s.name]
		present := ok && string(raw) != "null"
		bad := func(err error) {
			diags.AddError("Cannot read the client configuration", fmt.Sprintf("client_config.%s: %s: %s", s.name, err, raw))
		}
		switch s.kind {
		case kBool:
			v := types.BoolNull()
			if present {
				var b bool
				if err := json.Unmarshal(raw, &b); err != nil {
					bad(err)
				}
				v = types.BoolValue(b)
			}
			out[s.name] = v
		case kInt:
			v := types.Int64Null()
			if present {
				var n int64
				if err := json.Unmarshal(raw, &n); err != nil {
					bad(err)
				}
				v = types.Int64Value(n)
			}
			out[s.name] = v
		case kString:
			var str string
			if present {
				if err := json.Unmarshal(raw, &str); err != nil {
					bad(err)
				}
			}
			out[s.name] = types.StringValue(str)
		case kList:
			var list []string
			if present {
				if err := json.Unmarshal(raw, &list); err != nil {
					bad(err)
				}
			}
			elems := make([]attr.Value, len(list))
			for i, e := range list {
				elems[i] = types.StringValue(e)
			}
			out[s.name] = types.ListValueMust(types.StringType, elems)
		case kObject:
			var sub map[string]json.RawMessage
			if present {
				if err := json.Unmarshal(raw, &sub); err != nil {
					bad(err)
				}
			}
			out[s.name] = types.ObjectValueMust(attrTypes(s.children, false), membersFromJSON(s.children, sub, diags))
		}
	}
	return out
}

// overlay writes onto cc (the whole client_config as read) the settings
// that config (the configuration's attribute values) sets: null and
// unknown ones, and the null members of an object, keep cc's.
func overlay(cc bifrost.ClientConfig, config map[string]attr.Value) (bifrost.ClientConfig, error) {
	b, err := json.Marshal(cc)
	if err != nil {
		return cc, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return cc, err
	}
	if err := overlayJSON(settings, m, config); err != nil {
		return cc, err
	}
	if b, err = json.Marshal(m); err != nil {
		return cc, err
	}
	var out bifrost.ClientConfig
	err = json.Unmarshal(b, &out)
	return out, err
}

func overlayJSON(list []setting, m map[string]json.RawMessage, config map[string]attr.Value) error {
	for _, s := range list {
		v, ok := config[s.name]
		if !ok || v.IsNull() || v.IsUnknown() {
			continue
		}
		var enc any
		switch v := v.(type) {
		case types.Bool:
			enc = v.ValueBool()
		case types.Int64:
			enc = v.ValueInt64()
		case types.String:
			enc = v.ValueString()
		case types.List:
			list := []string{}
			for _, e := range v.Elements() {
				if e, ok := e.(types.String); ok {
					list = append(list, e.ValueString())
				}
			}
			enc = list
		case types.Object:
			sub := map[string]json.RawMessage{}
			if raw, ok := m[s.name]; ok && string(raw) != "null" {
				if err := json.Unmarshal(raw, &sub); err != nil {
					return err
				}
			}
			if err := overlayJSON(s.children, sub, v.Attributes()); err != nil {
				return err
			}
			// A list member the server did not report is sent empty.
			for _, c := range s.children {
				if _, ok := sub[c.name]; !ok && c.kind == kList {
					sub[c.name] = json.RawMessage("[]")
				}
			}
			enc = sub
		default:
			return fmt.Errorf("%s: unexpected value %T", s.name, v)
		}
		raw, err := json.Marshal(enc)
		if err != nil {
			return err
		}
		m[s.name] = raw
	}
	return nil
}

// fill replaces the unknown values of plan (and of its objects' members)
// that config leaves out (null) with base's: the settings the configuration
// does not manage keep the server's values. A value unknown in config
// (known only after apply) stays unknown.
func fill(list []setting, plan, config, base map[string]attr.Value) {
	for _, s := range list {
		v, c, b := plan[s.name], config[s.name], base[s.name]
		if b == nil || c == nil || c.IsUnknown() {
			continue
		}
		switch {
		case c.IsNull() && (v == nil || v.IsUnknown()):
			plan[s.name] = b
		case s.kind == kObject && !c.IsNull() && v != nil && !v.IsNull() && !v.IsUnknown() && !b.IsNull():
			merged := map[string]attr.Value{}
			for k, mv := range members(v) {
				merged[k] = mv
			}
			fill(s.children, merged, members(c), members(b))
			plan[s.name] = types.ObjectValueMust(attrTypes(s.children, false), merged)
		}
	}
}

// members are the attributes of an object value (none for another value).
func members(v attr.Value) map[string]attr.Value {
	if o, ok := v.(types.Object); ok {
		return o.Attributes()
	}
	return nil
}

// notStored names the settings config sets (known, non-null) whose value in
// got (the server's, read back after the write) differs.
func notStored(list []setting, config, got map[string]attr.Value, prefix string) []string {
	var out []string
	for _, s := range list {
		c, g := config[s.name], got[s.name]
		if c == nil || c.IsNull() || c.IsUnknown() || g == nil {
			continue
		}
		if s.kind == kObject {
			out = append(out, notStored(s.children, members(c), members(g), prefix+s.name+".")...)
			continue
		}
		if !c.Equal(g) {
			out = append(out, fmt.Sprintf("%s%s (set to %s, Bifrost has %s)", prefix, s.name, c, g))
		}
	}
	return out
}
