package emulator

// ownershipRoutes are the /api/governance/{name} collections served by
// routeOwnership; every other governance path goes to routePolicy.
var ownershipRoutes = map[string]bool{
	"virtual-keys": true, "teams": true, "customers": true, "budgets": true,
	"rate-limits": true, "model-configs": true, "providers": true,
}

// ownershipStore holds virtual keys, teams, customers, model configs,
// provider governance and the budgets and rate limits they own.
type ownershipStore struct{}

func newOwnershipStore() *ownershipStore { return &ownershipStore{} }

// routeOwnership routes /api/governance/{virtual-keys,teams,customers,
// budgets,rate-limits,model-configs,providers}[/...].
func (s *Server) routeOwnership(c *call, segs []string, rt *route) (*route, bool) {
	return nil, false
}

// governanceScopeExists reports whether a team, customer or virtual key
// ("team", "customer", "virtual_key") with that id exists. Callers hold s.mu.
func (s *Server) governanceScopeExists(scope, id string) bool {
	return false
}
