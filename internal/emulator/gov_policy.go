package emulator

// policyStore holds routing rules, pricing overrides, plugins, MCP clients
// and the client and proxy configuration.
type policyStore struct{}

func newPolicyStore() *policyStore { return &policyStore{} }

// routePolicy routes /api/governance/{routing-rules,pricing-overrides}[/...],
// /api/plugins[/...], /api/mcp/..., /api/config and /api/proxy-config.
func (s *Server) routePolicy(c *call, segs []string, rt *route) (*route, bool) {
	return nil, false
}

// mcpClientExists reports whether an MCP client with that name exists.
// Callers hold s.mu.
func (s *Server) mcpClientExists(name string) bool {
	return false
}
