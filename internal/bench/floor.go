package bench

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/uuid"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// serverFloor makes each phase's requests directly with the project's
// client, at Terraform's parallelism, as the provider makes them at best:
// one create per key (with a client-chosen id, as the provider does); for
// every refresh, a read of each key through Client.ReadKey on a fresh
// client (a new provider process), which costs one key list per provider;
// one update or delete per key.
type serverFloor struct {
	// newClient returns a client with the provider's settings.
	newClient   func() (*bifrost.Client, error)
	providers   []string
	parallelism int
	// prefix names the keys; see keyName.
	prefix string
	// keys are the keys created by the create phase, by index.
	keys []bifrost.Key
}

// run runs one phase over n keys.
func (f *serverFloor) run(ctx context.Context, p Phase, n int) error {
	c, err := f.newClient()
	if err != nil {
		return err
	}
	if p == PhaseCreate {
		f.keys = make([]bifrost.Key, n)
		enabled := true
		return forEach(ctx, n, f.parallelism, func(ctx context.Context, i int) error {
			k := bifrost.Key{
				ID: uuid.NewString(), Name: keyName(f.prefix, i), Value: bifrost.Literal(keyValue(i)),
				Models: []string{benchModel}, Weight: weightBefore, Enabled: &enabled,
			}
			f.keys[i] = k
			_, err := c.CreateKey(ctx, keyProvider(f.providers, i), k)
			return err
		})
	}
	if err := forEach(ctx, n, f.parallelism, func(ctx context.Context, i int) error {
		_, err := c.ReadKey(ctx, keyProvider(f.providers, i), f.keys[i].ID)
		return err
	}); err != nil || p == PhasePlan {
		return err
	}
	return forEach(ctx, n, f.parallelism, func(ctx context.Context, i int) error {
		provider := keyProvider(f.providers, i)
		if p == PhaseDestroy {
			_, err := c.DeleteKey(ctx, provider, f.keys[i].ID)
			return err
		}
		k := f.keys[i]
		k.Weight = weightAfter
		_, err := c.UpdateKey(ctx, provider, k)
		return err
	})
}

// forEach calls fn for 0..n-1 from at most workers goroutines and returns
// the first error, after which no new call starts.
func forEach(ctx context.Context, n, workers int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					continue // drain: an item handed out as the error happened
				}
				if err := fn(ctx, i); err != nil {
					cancel(fmt.Errorf("item %d: %w", i, err))
				}
			}
		})
	}
feed:
	for i := range n {
		if ctx.Err() != nil {
			break // select picks at random when a worker is also ready
		}
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}

// vkServerFloor is serverFloor for virtual keys: one create per key; for
// every refresh, a read of each key through Client.ReadVirtualKey on a
// fresh client, which costs one list of all virtual keys; for an update, a
// GET and a PUT per key (as the resource reads the key before its PUT); for
// a destroy, one delete per key.
type vkServerFloor struct {
	newClient   func() (*bifrost.Client, error)
	providers   []string
	parallelism int
	prefix      string
	// ids are the ids of the virtual keys the create phase made, by index.
	ids []string
}

// run runs one phase over n virtual keys.
func (f *vkServerFloor) run(ctx context.Context, p Phase, n int) error {
	c, err := f.newClient()
	if err != nil {
		return err
	}
	if p == PhaseCreate {
		f.ids = make([]string, n)
		return forEach(ctx, n, f.parallelism, func(ctx context.Context, i int) error {
			v, err := c.CreateVirtualKey(ctx, vkCreate(f.prefix, f.providers, i))
			if err == nil {
				f.ids[i] = v.ID
			}
			return err
		})
	}
	if err := forEach(ctx, n, f.parallelism, func(ctx context.Context, i int) error {
		_, err := c.ReadVirtualKey(ctx, f.ids[i])
		return err
	}); err != nil || p == PhasePlan {
		return err
	}
	return forEach(ctx, n, f.parallelism, func(ctx context.Context, i int) error {
		if p == PhaseDestroy {
			return c.DeleteVirtualKey(ctx, f.ids[i])
		}
		if _, err := c.GetVirtualKey(ctx, f.ids[i]); err != nil {
			return err
		}
		d := vkDescription(weightAfter)
		u := bifrost.VirtualKeyUpdate{Description: &d}
		_, err := c.UpdateVirtualKey(ctx, f.ids[i], u)
		return err
	})
}

// vkCreate is the create request of virtual key i, as renderVirtualKeyConfig
// declares it.
func vkCreate(prefix string, providers []string, i int) bifrost.VirtualKeyCreate {
	return bifrost.VirtualKeyCreate{
		Name: keyName(prefix, i), Description: vkDescription(weightBefore),
		Budgets: []bifrost.BudgetRequest{{MaxLimit: vkBudgetLimit, ResetDuration: vkBudgetReset}},
		ProviderConfigs: []bifrost.ProviderConfigRequest{{
			Provider: keyProvider(providers, i), AllowedModels: []string{"*"}, KeyIDs: []string{"*"},
		}},
	}
}

// cleanup deletes the floor's virtual keys (from a real server).
func (f *vkServerFloor) cleanup(ctx context.Context) {
	c, err := f.newClient()
	if err != nil {
		return
	}
	for _, id := range f.ids {
		if id != "" {
			_ = c.DeleteVirtualKey(ctx, id)
		}
	}
}
