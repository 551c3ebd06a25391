package bifrost

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Plugins (/api/plugins, shared/bifrost-api/governance.md §2.9): rows of
// the config store naming a built-in plugin (maxim, semantic_cache, otel,
// ...) or a custom one (a .so at path), each with its own config object.
//
// Rules every caller must respect (the server's, not this client's):
//   - A plugin is named by its name: there is no other id.
//   - CreatePlugin (POST) refuses a name that is taken (409 "Plugin already
//     exists"); UpdatePlugin (PUT) is a full-replacement upsert: a missing
//     plugin is created, and every field left out is reset (enabled false:
//     the plugin is stopped; config null; path, placement and order gone).
//     Check that a plugin exists before updating it.
//   - Built-in plugins drop their path.
//   - DeletePlugin of a missing plugin answers 200 on v1.5.1, 404 on v2.
//   - config comes back unredacted (API keys, headers): treat it as secret.
//   - GET /{name} answers the store's raw row, a different shape from the
//     list's and the writes' (no status, an id, created_at, ...): Plugin
//     decodes both.

// Plugin is a plugin as the server returns it, from a list or a write
// (with ActualName and Status) or from a GET (the raw row, with ID and
// timestamps).
type Plugin struct {
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"`
	// Config is the plugin's config object as stored (null, absent or {}
	// when none was sent).
	Config json.RawMessage `json:"config,omitempty"`
	// Path is the custom plugin's .so; nil for built-ins.
	Path *string `json:"path,omitempty"`
	// Placement is "pre_builtin" or "post_builtin" (nil: the default).
	Placement *string `json:"placement,omitempty"`
	Order     *int64  `json:"order,omitempty"`
	IsCustom  bool    `json:"isCustom"`
	// ActualName and Status: list and write answers only.
	ActualName string        `json:"actualName,omitempty"`
	Status     *PluginStatus `json:"status,omitempty"`
	// ID, timestamps and hash: GET answers only.
	ID         uint   `json:"id,omitempty"`
	ConfigHash string `json:"config_hash,omitempty"`
	CreatedAt  string `json:"created_at,omitempty"`
	UpdatedAt  string `json:"updated_at,omitempty"`
}

// PluginStatus is the state of the loaded plugin (list and write answers).
type PluginStatus struct {
	Name   string   `json:"name"`
	Status string   `json:"status"`
	Logs   []string `json:"logs"`
	Types  []string `json:"types,omitempty"`
}

// PluginConfigEmpty reports whether a stored config is empty: absent,
// null or {}.
func PluginConfigEmpty(raw json.RawMessage) bool {
	if len(raw) == 0 {
		return true
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	return len(m) == 0
}

// PluginCreate is the body of a create.
type PluginCreate struct {
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"`
	// Config must be a JSON object; nil sends none (stored as {}).
	Config    json.RawMessage `json:"config,omitempty"`
	Path      *string         `json:"path,omitempty"`
	Placement *string         `json:"placement,omitempty"`
	Order     *int64          `json:"order,omitempty"`
}

// PluginUpdate is the body of an update: a full replacement (every field
// left out is reset, see the package rules above).
type PluginUpdate struct {
	Enabled   bool            `json:"enabled"`
	Config    json.RawMessage `json:"config,omitempty"`
	Path      *string         `json:"path,omitempty"`
	Placement *string         `json:"placement,omitempty"`
	Order     *int64          `json:"order,omitempty"`
}

type pluginEnvelope struct {
	Message string  `json:"message"`
	Plugin  *Plugin `json:"plugin"`
}

type pluginList struct {
	Plugins []Plugin `json:"plugins"`
	Count   int      `json:"count"`
}

const pluginsPath = "/api/plugins"

func pluginPath(name string) string { return pluginsPath + "/" + url.PathEscape(name) }

// ListPlugins returns the stored plugins (not the built-ins Bifrost
// registers by itself without a row), with their status.
func (c *Client) ListPlugins(ctx context.Context) ([]Plugin, error) {
	var out pluginList
	err := c.do(ctx, http.MethodGet, pluginsPath, nil, &out)
	return out.Plugins, err
}

// GetPlugin returns the stored row of a plugin (no status); a missing one
// is a not-found error.
func (c *Client) GetPlugin(ctx context.Context, name string) (*Plugin, error) {
	var out Plugin
	if err := c.do(ctx, http.MethodGet, pluginPath(name), nil, &out); err != nil {
		return nil, err
	}
	if out.Name == "" {
		return nil, fmt.Errorf("GET %s: the response is not a plugin", pluginPath(name))
	}
	return &out, nil
}

// FindPlugin is the plugin named name in a list; a not-found error when
// none is.
func FindPlugin(plugins []Plugin, name string) (*Plugin, error) {
	for i := range plugins {
		if plugins[i].Name == name {
			return &plugins[i], nil
		}
	}
	return nil, &APIError{StatusCode: http.StatusNotFound, Message: "Plugin not found"}
}

// CreatePlugin creates a plugin (201); a taken name is a conflict error
// (409 "Plugin already exists"). A plugin that fails to load is not kept
// (500 "Plugin created in database but failed to load: …").
func (c *Client) CreatePlugin(ctx context.Context, in PluginCreate) (*Plugin, error) {
	return c.pluginCall(ctx, http.MethodPost, pluginsPath, in)
}

// UpdatePlugin replaces the plugin name with in, creating it when it is
// missing (an upsert). A plugin that fails to load keeps the new row (500
// "Plugin updated in database but failed to load").
func (c *Client) UpdatePlugin(ctx context.Context, name string, in PluginUpdate) (*Plugin, error) {
	return c.pluginCall(ctx, http.MethodPut, pluginPath(name), in)
}

// DeletePlugin deletes a plugin. A missing plugin is deleted (v1.5.1: 200)
// or a not-found error (v2: 404).
func (c *Client) DeletePlugin(ctx context.Context, name string) error {
	return c.do(ctx, http.MethodDelete, pluginPath(name), nil, nil)
}

func (c *Client) pluginCall(ctx context.Context, method, path string, in any) (*Plugin, error) {
	var out pluginEnvelope
	if err := c.do(ctx, method, path, in, &out); err != nil {
		return nil, err
	}
	if out.Plugin == nil {
		return nil, envelopeMissing(method, path, "plugin")
	}
	return out.Plugin, nil
}
