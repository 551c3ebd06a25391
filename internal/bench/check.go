package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Check compares, after a phase of ours, the keys the server holds with
// Terraform's state and configuration. A write the server refused must
// leave nothing behind and be retried until it is stored; one it stored
// must be in the state once: so after every phase the server holds exactly
// the keys of the state, which are those of the configuration.
type Check struct {
	// Want is how many keys the configuration declares after the phase: N,
	// 0 after destroy.
	Want int `json:"want"`
	// State is how many key instances Terraform's state holds.
	State int `json:"state"`
	// Server is how many of the workspace's keys (named after its prefix)
	// the server holds.
	Server int `json:"server"`
	// Missing is how many configured keys the server does not hold as the
	// state says: no instance in the state, or no key with the instance's
	// id, or one with another name or provider than configured.
	Missing int `json:"missing"`
	// Orphans is how many of the workspace's keys on the server have an id
	// the state does not know (a write stored but lost to Terraform).
	Orphans int `json:"orphans"`
	// Duplicates is how many of the workspace's keys on the server repeat
	// the name of another.
	Duplicates int `json:"duplicates"`
	// Stale is how many keys of the state the server holds with another
	// weight than configured (an update that did not happen).
	Stale int `json:"stale"`
}

// OK reports whether the server holds exactly the configured keys, as the
// state records them.
func (c Check) OK() bool {
	return c.State == c.Want && c.Server == c.Want && c.Missing == 0 && c.Orphans == 0 && c.Duplicates == 0 && c.Stale == 0
}

// Summary is "ok", or what is wrong, e.g. "FAIL: server 98 of 100, 2
// missing"; "n/a" for no check.
func (c *Check) Summary() string {
	if c == nil {
		return "n/a"
	}
	if c.OK() {
		return "ok"
	}
	var what []string
	if c.State != c.Want {
		what = append(what, fmt.Sprintf("state %d of %d", c.State, c.Want))
	}
	if c.Server != c.Want {
		what = append(what, fmt.Sprintf("server %d of %d", c.Server, c.Want))
	}
	for _, f := range []struct {
		n    int
		name string
	}{{c.Missing, "missing"}, {c.Orphans, "orphans"}, {c.Duplicates, "duplicates"}, {c.Stale, "stale"}} {
		if f.n != 0 {
			what = append(what, fmt.Sprintf("%d %s", f.n, f.name))
		}
	}
	return "FAIL: " + strings.Join(what, ", ")
}

// stateKey is a key instance of Terraform's state.
type stateKey struct {
	Index    int
	ID       string
	Name     string
	Provider string
}

// serverKey is a key the server holds.
type serverKey struct {
	ID       string
	Name     string
	Provider string
	Weight   float64
}

// checkKeys compares the server's keys named after prefix with the state,
// for a configuration of want keys of the given weight (see keyName and
// keyProvider).
func checkKeys(prefix string, providers []string, want int, weight float64, state []stateKey, server []serverKey) Check {
	c := Check{Want: want, State: len(state)}
	byID := map[string]serverKey{}
	names := map[string]bool{}
	for _, k := range server {
		if !strings.HasPrefix(k.Name, prefix+"-") {
			continue
		}
		c.Server++
		if names[k.Name] {
			c.Duplicates++
		}
		names[k.Name] = true
		byID[k.ID] = k
	}
	inState := map[string]bool{}
	byIndex := map[int]stateKey{}
	for _, k := range state {
		inState[k.ID] = true
		byIndex[k.Index] = k
	}
	for i := range want {
		st, ok := byIndex[i]
		k, held := byID[st.ID]
		if !ok || !held || k.Name != keyName(prefix, i) || k.Provider != keyProvider(providers, i) {
			c.Missing++
		}
	}
	for id, k := range byID {
		switch {
		case !inState[id]:
			c.Orphans++
		case k.Weight != weight:
			c.Stale++
		}
	}
	return c
}

// parseState reads the bifrost_provider_key and bifrost_virtual_key
// instances of a Terraform state (a workspace declares one of them); a
// virtual key's provider is that of its one provider config.
func parseState(b []byte) ([]stateKey, error) {
	var st struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Instances []struct {
				IndexKey   *int `json:"index_key"`
				Attributes struct {
					ID       string `json:"id"`
					Name     string `json:"name"`
					Provider string `json:"provider_name"`
					// ProviderConfigs are a virtual key's.
					ProviderConfigs map[string]json.RawMessage `json:"provider_configs"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("reading Terraform's state: %w", err)
	}
	var out []stateKey
	for _, r := range st.Resources {
		if r.Mode != "managed" || (r.Type != ResourceKey && r.Type != ResourceVirtualKey) {
			continue
		}
		for _, in := range r.Instances {
			k := stateKey{Index: -1, ID: in.Attributes.ID, Name: in.Attributes.Name, Provider: in.Attributes.Provider}
			if len(in.Attributes.ProviderConfigs) == 1 {
				for p := range in.Attributes.ProviderConfigs {
					k.Provider = p
				}
			}
			if in.IndexKey != nil {
				k.Index = *in.IndexKey
			}
			out = append(out, k)
		}
	}
	return out, nil
}

// readState returns the key instances of a workspace's state: none before
// the first apply.
func (s *session) readState(ws *workspace) ([]stateKey, error) {
	var (
		b  []byte
		ok bool
	)
	if s.states != nil {
		b, ok = s.states.get(ws.prefix)
	} else {
		var err error
		b, err = os.ReadFile(filepath.Join(ws.dir, "terraform.tfstate"))
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		ok = err == nil
	}
	if !ok {
		return nil, nil
	}
	return parseState(b)
}

// serverKeys lists the keys of the run's providers: from the emulator's
// store, or through the client from a real server.
func (s *session) serverKeys(ctx context.Context) ([]serverKey, error) {
	var out []serverKey
	if s.emu != nil {
		for _, p := range s.opts.Providers {
			for _, k := range s.emu.Keys(p) {
				out = append(out, serverKey{ID: k.ID, Name: k.Name, Provider: p, Weight: k.Weight})
			}
		}
		return out, nil
	}
	c, err := s.newClient()
	if err != nil {
		return nil, err
	}
	for _, p := range s.opts.Providers {
		keys, err := c.ListKeys(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("listing the keys of %s: %w", p, err)
		}
		for _, k := range keys {
			out = append(out, serverKey{ID: k.ID, Name: k.Name, Provider: p, Weight: k.Weight})
		}
	}
	return out, nil
}

// serverVirtualKeys lists the server's virtual keys through the client, as
// serverKeys lists keys: the provider is that of the key's first provider
// config, the weight the one its description names (see vkDescription; -1
// for another description).
func (s *session) serverVirtualKeys(ctx context.Context) ([]serverKey, error) {
	c, err := s.newClient()
	if err != nil {
		return nil, err
	}
	vks, err := c.ListVirtualKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing the virtual keys: %w", err)
	}
	out := make([]serverKey, 0, len(vks))
	for _, v := range vks {
		k := serverKey{ID: v.ID, Name: v.Name, Weight: -1}
		if len(v.ProviderConfigs) > 0 {
			k.Provider = v.ProviderConfigs[0].Provider
		}
		for _, w := range []float64{weightBefore, weightAfter} {
			if v.Description == vkDescription(w) {
				k.Weight = w
			}
		}
		out = append(out, k)
	}
	return out, nil
}

// check compares what the server holds after phase p of ours in ws with
// the workspace's state and configuration.
func (s *session) check(ctx context.Context, ws *workspace, p Phase) (Check, error) {
	state, err := s.readState(ws)
	if err != nil {
		return Check{}, err
	}
	var server []serverKey
	if ws.kind == virtualKeys {
		server, err = s.serverVirtualKeys(ctx)
	} else {
		server, err = s.serverKeys(ctx)
	}
	if err != nil {
		return Check{}, err
	}
	// The weights are those configure writes for the phase.
	want, weight := ws.n, weightBefore
	switch p {
	case PhaseUpdate:
		weight = weightAfter
	case PhaseDestroy:
		want, weight = 0, weightAfter
	}
	return checkKeys(ws.prefix, s.opts.Providers, want, weight, state, server), nil
}
