package emulator

// StoredKey is a key as the server's database holds it: unredacted, with
// references kept as references.
type StoredKey struct {
	ID                string
	Name              string
	Value             string            // literal, or the reference ("env.NAME") for backed values
	Secrets           map[string]string // config secrets by "config.field", stored like Value
	Models            []string
	BlacklistedModels []string
	Weight            float64
	Enabled           *bool
	UseForBatchAPI    bool
	ConfigHash        string
	Status            string
	Description       string
}

// Keys returns the stored keys of provider in creation order, or nil when
// the provider does not exist.
func (s *Server) Keys(provider string) []StoredKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.providers[provider]
	if p == nil {
		return nil
	}
	out := []StoredKey{}
	for _, k := range p.keys {
		sk := StoredKey{
			ID: k.id, Name: k.name, Value: k.value.stored(), Secrets: map[string]string{},
			Models: append([]string(nil), k.models...), BlacklistedModels: append([]string(nil), k.blacklist...),
			Weight: k.weight, UseForBatchAPI: k.batch,
			ConfigHash: k.configHash, Status: k.status, Description: k.description,
		}
		if k.enabled != nil {
			e := *k.enabled
			sk.Enabled = &e
		}
		for cfgName, c := range k.configs {
			for name, v := range c {
				if sec, ok := v.(secret); ok {
					sk.Secrets[cfgName+"."+name] = sec.stored()
				}
			}
		}
		out = append(out, sk)
	}
	return out
}

// Providers returns the names of the configured providers, sorted.
func (s *Server) Providers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedKeys(s.providers)
}

// Setenv sets a variable of the server's environment; references to it
// resolve to the new value from the next request on.
func (s *Server) Setenv(name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.env[name] = value
}

// Unsetenv removes a variable of the server's environment, as a restart
// without it would.
func (s *Server) Unsetenv(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.env, name)
}
