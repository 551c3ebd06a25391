package acctest

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// StartConfigured starts an emulator of opts for the test (closed at its
// end), a client of it and the provider configured for it, both with
// opts' setup token when it has one.
func StartConfigured(t testing.TB, opts emulator.Options) (*emulator.Server, *bifrost.Client, *ProtocolServer) {
	t.Helper()
	emu, err := emulator.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	client, err := bifrost.New(bifrost.Config{Endpoint: emu.URL(), SetupToken: opts.SetupToken})
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string]tftypes.Value{"endpoint": tftypes.NewValue(tftypes.String, emu.URL())}
	if opts.SetupToken != "" {
		attrs["setup_token"] = tftypes.NewValue(tftypes.String, opts.SetupToken)
	}
	ps, diags := ConfigureProtocolServer(t, attrs)
	if HasErrors(diags) {
		t.Fatalf("configure:%s", RenderDiags(diags))
	}
	return emu, client, ps
}
