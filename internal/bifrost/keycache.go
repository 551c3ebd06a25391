package bifrost

import (
	"context"
	"sync"
)

// readLists serves the reads of one Terraform run (one provider process)
// from one list request per scope instead of one GET per object: a plan
// over N keys of a provider, or over N virtual keys, costs one request.
// Every write through the client drops its scope's list, so a read never
// sees an answer older than this process's own writes; a failed list is
// asked again. T is the listed object.
type readLists[T any] struct {
	mu      sync.Mutex
	entries map[string]*listEntry[T]
	// writes counts the writes to each scope; a list fetched while a write
	// was under way is not reused.
	writes map[string]int
}

type listEntry[T any] struct {
	writes int           // the scope's write count when the list was requested
	done   chan struct{} // closed when the list request has finished
	byID   map[string]T
	err    error
}

// virtualKeysScope is the one scope of the virtual key list.
const virtualKeysScope = ""

// ReadKey returns a key, from the provider's key list when one was fetched
// recently (fetching it once for all concurrent readers otherwise). A key
// absent from the list is read with a GET, so that a 404 is always the
// server's own answer for that key.
func (c *Client) ReadKey(ctx context.Context, provider, id string) (*Key, error) {
	keys, err := c.lists.get(ctx, provider, c.ListKeys, func(k Key) string { return k.ID })
	if err == nil {
		if k, ok := keys[id]; ok {
			return &k, nil
		}
	}
	return c.GetKey(ctx, provider, id)
}

// ReadVirtualKey returns a virtual key the way ReadKey returns a key: from
// one list of all virtual keys per run, with a GET for a key not in it.
func (c *Client) ReadVirtualKey(ctx context.Context, id string) (*VirtualKey, error) {
	list := func(ctx context.Context, _ string) ([]VirtualKey, error) { return c.ListVirtualKeys(ctx) }
	vks, err := c.vkLists.get(ctx, virtualKeysScope, list, func(v VirtualKey) string { return v.ID })
	if err == nil {
		if v, ok := vks[id]; ok {
			return &v, nil
		}
	}
	return c.GetVirtualKey(ctx, id)
}

func (l *readLists[T]) get(ctx context.Context, scope string, list func(context.Context, string) ([]T, error), id func(T) string) (map[string]T, error) {
	l.mu.Lock()
	if l.entries == nil {
		l.entries, l.writes = map[string]*listEntry[T]{}, map[string]int{}
	}
	e := l.entries[scope]
	if e != nil && e.writes != l.writes[scope] {
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
		e = &listEntry[T]{writes: l.writes[scope], done: make(chan struct{})}
		l.entries[scope] = e
		l.mu.Unlock()
		objects, err := list(ctx, scope)
		e.err = err
		if err == nil {
			e.byID = make(map[string]T, len(objects))
			for _, o := range objects {
				e.byID[id(o)] = o
			}
		}
		close(e.done)
		return e.byID, e.err
	}
	l.mu.Unlock()
	select {
	case <-e.done:
		return e.byID, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// forget drops a scope's list after a write to it.
func (l *readLists[T]) forget(scope string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.writes == nil {
		l.writes = map[string]int{}
	}
	l.writes[scope]++
	delete(l.entries, scope)
}
