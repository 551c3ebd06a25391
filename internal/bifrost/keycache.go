package bifrost

import (
	"context"
	"sync"
)

// keyLists serves the reads of one Terraform run (one provider process)
// from one list request per provider instead of one GET per key: a plan over
// N keys of a provider costs one request. Every write through the client
// drops the provider's list, so a read never sees an answer older than this
// process's own writes; a failed list is asked again.
type keyLists struct {
	mu      sync.Mutex
	entries map[string]*keyListEntry
	// writes counts the writes to each provider; a list fetched while a
	// write was under way is not reused.
	writes map[string]int
}

type keyListEntry struct {
	writes int           // the provider's write count when the list was requested
	done   chan struct{} // closed when the list request has finished
	keys   map[string]Key
	err    error
}

// ReadKey returns a key, from the provider's key list when one was fetched
// recently (fetching it once for all concurrent readers otherwise). A key
// absent from the list is read with a GET, so that a 404 is always the
// server's own answer for that key.
func (c *Client) ReadKey(ctx context.Context, provider, id string) (*Key, error) {
	keys, err := c.lists.get(ctx, provider, c.ListKeys)
	if err == nil {
		if k, ok := keys[id]; ok {
			return &k, nil
		}
	}
	return c.GetKey(ctx, provider, id)
}

func (l *keyLists) get(ctx context.Context, provider string, list func(context.Context, string) ([]Key, error)) (map[string]Key, error) {
	l.mu.Lock()
	if l.entries == nil {
		l.entries, l.writes = map[string]*keyListEntry{}, map[string]int{}
	}
	e := l.entries[provider]
	if e != nil && e.writes != l.writes[provider] {
		e = nil
	}
	if e != nil {
		select {
		case <-e.done:
			if e.err != nil {
				e = nil
			}
		default:
		}
	}
	if e == nil {
		e = &keyListEntry{writes: l.writes[provider], done: make(chan struct{})}
		l.entries[provider] = e
		l.mu.Unlock()
		keys, err := list(ctx, provider)
		e.err = err
		if err == nil {
			e.keys = make(map[string]Key, len(keys))
			for _, k := range keys {
				e.keys[k.ID] = k
			}
		}
		close(e.done)
		return e.keys, e.err
	}
	l.mu.Unlock()
	select {
	case <-e.done:
		return e.keys, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// forget drops a provider's list after a write to it.
func (l *keyLists) forget(provider string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.writes == nil {
		l.writes = map[string]int{}
	}
	l.writes[provider]++
	delete(l.entries, provider)
}
