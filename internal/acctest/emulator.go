package acctest

import (
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// StartEmulator starts an emulator of opts for the test (closed at its end),
// and a client of it.
func StartEmulator(t testing.TB, opts emulator.Options) (*emulator.Server, *bifrost.Client) {
	t.Helper()
	emu, err := emulator.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	client, err := bifrost.New(bifrost.Config{Endpoint: emu.URL()})
	if err != nil {
		t.Fatal(err)
	}
	return emu, client
}
