package acctest

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// ChangeKey changes a key out of band, as another user of Bifrost would: it
// reads the key, applies change, and writes it back with its real secret
// (secret), never the mask it read.
func (tg *Target) ChangeKey(t *testing.T, provider, id, secret string, change func(*bifrost.Key)) {
	t.Helper()
	k, err := tg.Client.GetKey(Ctx(t), provider, id)
	if err != nil {
		t.Fatalf("reading key %s/%s: %v", provider, id, err)
	}
	k.Value = bifrost.Literal(secret)
	change(k)
	if _, err := tg.Client.UpdateKey(Ctx(t), provider, *k); err != nil {
		t.Fatalf("changing key %s/%s out of band: %v", provider, id, err)
	}
}

// CreateKey creates a key out of band.
func (tg *Target) CreateKey(t *testing.T, provider string, k bifrost.Key) *bifrost.Key {
	t.Helper()
	got, err := tg.Client.CreateKey(Ctx(t), provider, k)
	if err != nil {
		t.Fatalf("creating key out of band: %v", err)
	}
	t.Cleanup(func() { _, _ = tg.Client.DeleteKey(Ctx(t), provider, got.ID) })
	return got
}

// DeleteKey deletes a key out of band.
func (tg *Target) DeleteKey(t *testing.T, provider, id string) {
	t.Helper()
	if _, err := tg.Client.DeleteKey(Ctx(t), provider, id); err != nil {
		t.Fatalf("deleting key %s/%s out of band: %v", provider, id, err)
	}
}

// CheckStoredSecret checks that the server holds secret as the key's value:
// through its mask on any server, and exactly in the emulator's store.
func (tg *Target) CheckStoredSecret(provider, id, secret string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		k, err := tg.Client.GetKey(context.Background(), provider, id)
		if err != nil {
			return err
		}
		if k.Value.Value != bifrost.Mask(secret) {
			return fmt.Errorf("key %s/%s: server shows %q, expected the mask of the configured secret %q", provider, id, k.Value.Value, bifrost.Mask(secret))
		}
		if tg.Emulator != nil {
			if stored := tg.StoredKey(provider, id).Value; stored != secret {
				return fmt.Errorf("key %s/%s: the emulator stores %s, not the configured secret", provider, id, bifrost.Mask(stored))
			}
		}
		return nil
	}
}

// StoredKey is the key as the emulator stores it (unredacted); the zero
// value when absent.
func (tg *Target) StoredKey(provider, id string) emulator.StoredKey {
	for _, k := range tg.Emulator.Keys(provider) {
		if k.ID == id {
			return k
		}
	}
	return emulator.StoredKey{}
}
