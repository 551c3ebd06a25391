package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
)

// plugin is a row of /api/plugins. config is the stored config as the row's
// AfterFind decodes it: a JSON object, {} when none was sent.
type plugin struct {
	id               uint
	name             string
	enabled, custom  bool
	config           any
	path, placement  *string
	order            *int
	created, updated string
}

// builtinPlugins are the names Bifrost loads itself; they take no path.
var builtinPlugins = []string{"telemetry", "logging", "governance", "prompts", "compat", "maxim", "semantic_cache", "otel"}

// pluginRequest is the create and update body (update ignores name).
type pluginRequest struct {
	Name      string         `json:"name"`
	Enabled   bool           `json:"enabled"`
	Config    map[string]any `json:"config"`
	Path      *string        `json:"path"`
	Placement *string        `json:"placement"`
	Order     *int           `json:"order"`
}

// wire is the PluginResponse of list, create and update. Every enabled
// plugin reports itself active: the emulator loads nothing (guess: a real
// load's status and logs are not recorded).
func (p *plugin) wire() object {
	status := "disabled"
	if p.enabled {
		status = "active"
	}
	o := object{{"name", p.name}, {"actualName", p.name}, {"enabled", p.enabled}, {"config", p.config},
		{"isCustom", p.custom}, {"path", p.path}}
	o = p.placed(o)
	return append(o, kv{"status", object{{"name", p.name}, {"status", status}, {"logs", []string{}}}})
}

// row is the table row GET /api/plugins/{name} answers.
func (p *plugin) row() object {
	o := object{{"id", p.id}, {"name", p.name}, {"enabled", p.enabled}}
	if p.path != nil {
		o = append(o, kv{"path", *p.path})
	}
	o = append(o, kv{"created_at", p.created}, kv{"version", 1}, kv{"updated_at", p.updated}, kv{"isCustom", p.custom})
	o = p.placed(o)
	return append(o, kv{"config_hash", ""}, kv{"config", p.config})
}

// placed appends the optional placement and order.
func (p *plugin) placed(o object) object {
	if p.placement != nil {
		o = append(o, kv{"placement", *p.placement})
	}
	if p.order != nil {
		o = append(o, kv{"order", *p.order})
	}
	return o
}

// set applies a create or update body: the config round-trips through the
// row's JSON column, and built-ins drop their path.
func (p *plugin) set(req *pluginRequest) {
	p.enabled = req.Enabled
	p.config = map[string]any{}
	if req.Config != nil {
		p.config = req.Config
	}
	p.path, p.placement, p.order = req.Path, req.Placement, req.Order
	p.custom = !slices.Contains(builtinPlugins, p.name)
	if !p.custom {
		p.path = nil
	}
}

// checkPlacement validates placement and normalises "" to absent, as both
// handlers do, together with an empty path.
func (s *Server) checkPlacement(req *pluginRequest) (reply, bool) {
	if req.Placement != nil && *req.Placement != "" && *req.Placement != "pre_builtin" && *req.Placement != "post_builtin" {
		return s.policyErr(http.StatusBadRequest, "Invalid placement value. Must be 'pre_builtin' or 'post_builtin'"), false
	}
	if req.Placement != nil && *req.Placement == "" {
		req.Placement = nil
	}
	if req.Path != nil && *req.Path == "" {
		req.Path = nil
	}
	return reply{}, true
}

func (s *Server) findPlugin(name string) *plugin {
	for _, p := range s.policy.plugins {
		if p.name == name {
			return p
		}
	}
	return nil
}

// listPlugins answers the stored rows only: the built-ins Bifrost registers
// itself are not rows.
func (s *Server) listPlugins(*call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []any{}
	for _, p := range s.policy.plugins {
		items = append(items, p.wire())
	}
	return policyJSON(http.StatusOK, goMap(kv{"plugins", items}, kv{"count", len(items)}))
}

func (s *Server) getPlugin(_ *call, name string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.findPlugin(name)
	if p == nil {
		return s.policyErr(http.StatusNotFound, "Plugin not found")
	}
	return policyJSON(http.StatusOK, p.row())
}

// createPlugin answers 201; a name taken is 409.
func (s *Server) createPlugin(c *call) reply {
	var req pluginRequest
	if json.Unmarshal(c.body, &req) != nil {
		return s.policyErr(http.StatusBadRequest, "Invalid request body")
	}
	if req.Name == "" {
		return s.policyErr(http.StatusBadRequest, "Plugin name is required")
	}
	if rp, ok := s.checkPlacement(&req); !ok {
		return rp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.findPlugin(req.Name) != nil {
		return s.policyErr(http.StatusConflict, "Plugin already exists")
	}
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "Failed to create plugin")
	}
	p := s.newPlugin(req.Name)
	p.set(&req)
	return stored(policyJSON(http.StatusCreated, goMap(kv{"message", "Plugin created successfully"}, kv{"plugin", p.wire()})))
}

// newPlugin stores an empty row; s.mu is held.
func (s *Server) newPlugin(name string) *plugin {
	s.policy.pluginSeq++
	now := policyStamp()
	p := &plugin{id: s.policy.pluginSeq, name: name, config: map[string]any{}, created: now, updated: now}
	s.policy.plugins = append(s.policy.plugins, p)
	return p
}

// updatePlugin is a full-replacement upsert. A missing plugin's row is
// created before the body is even read, so it stays behind a bad body.
func (s *Server) updatePlugin(c *call, name string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.findPlugin(name)
	created := p == nil
	if created {
		if s.lockedWrite() {
			return s.policyErr(http.StatusInternalServerError, "Failed to create plugin")
		}
		p = s.newPlugin(name)
	}
	var req pluginRequest
	rp, ok := reply{}, json.Unmarshal(c.body, &req) == nil
	if !ok {
		rp = s.policyErr(http.StatusBadRequest, "Invalid request body")
	} else {
		rp, ok = s.checkPlacement(&req)
	}
	if !ok {
		rp.stored = created
		return rp
	}
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "Failed to update plugin")
	}
	p.set(&req)
	p.updated = policyStamp()
	return stored(policyJSON(http.StatusOK, goMap(kv{"message", "Plugin updated successfully"}, kv{"plugin", p.wire()})))
}

// deletePlugin answers 200 for an unknown name on v1.5.1 and 404 on v2
// (governance-exchanges*.jsonl).
func (s *Server) deletePlugin(_ *call, name string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.policy.plugins, func(p *plugin) bool { return p.name == name })
	if i < 0 && s.v2 {
		return s.policyErr(http.StatusNotFound, "Plugin not found")
	}
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "Failed to delete plugin")
	}
	if i >= 0 {
		s.policy.plugins = slices.Delete(s.policy.plugins, i, i+1)
	}
	return stored(policyJSON(http.StatusOK, goMap(kv{"message", "Plugin deleted successfully"})))
}
