package plugin_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestImport_providerServer imports by name, by "name=<name>" and by
// identity, and checks the error of an unknown "name=".
func TestImport_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	if _, err := client.CreatePlugin(context.Background(), bifrost.PluginCreate{Name: "otel"}); err != nil {
		t.Fatal(err)
	}
	im := acctest.NewImporter(t, emu.URL(), typeName)
	for label, in := range map[string][2]string{"by name": {"otel", ""}, "by name=": {"name=otel", ""}, "by identity": {"", "otel"}} {
		t.Run(label, func(t *testing.T) {
			got, diags := im.ImportID(t, in[0], in[1])
			if acctest.HasErrors(diags) || got != "otel" {
				t.Errorf("imported %q, want otel:%s", got, acctest.RenderDiags(diags))
			}
		})
	}
	t.Run("unknown name=", func(t *testing.T) {
		_, diags := im.ImportID(t, "name=nobody", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "", []string{"No plugin with that name", `Bifrost has no plugin named "nobody" (1 plugin listed)`}, nil)
	})
}

// TestReadGone_providerServer: a plugin deleted outside Terraform is
// removed from the state with a warning, its identity still set.
func TestReadGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := acctest.NewImporter(t, emu.URL(), typeName)
	diags := im.ReadGone(t, map[string]tftypes.Value{"id": s("gone"), "name": s("gone"), "enabled": tftypes.NewValue(tftypes.Bool, true)})
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, "", []string{"Plugin not found", `The plugin "gone" no longer exists`, "removed from the state"}, nil)
}

// TestDeleteGone_providerServer: deleting a plugin already gone succeeds
// without a diagnostic on both versions (v1.5.1 answers 200, v2 404).
func TestDeleteGone_providerServer(t *testing.T) {
	for _, version := range acctest.Versions {
		t.Run(version, func(t *testing.T) {
			opts := emulator.Options{Version: version}
			if version != "v1.5.1" {
				opts.SetupToken = "setup-token-0123456789"
			}
			emu, err := emulator.Start(opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(emu.Close)
			attrs := map[string]tftypes.Value{"endpoint": s(emu.URL())}
			if opts.SetupToken != "" {
				attrs["setup_token"] = s(opts.SetupToken)
			}
			ps, diags := acctest.ConfigureProtocolServer(t, attrs)
			if acctest.HasErrors(diags) {
				t.Fatalf("configure:%s", acctest.RenderDiags(diags))
			}
			im := &acctest.Importer{ProtocolServer: ps, TypeName: typeName}
			if diags := im.Destroy(t, map[string]tftypes.Value{"id": s("gone"), "name": s("gone"), "enabled": tftypes.NewValue(tftypes.Bool, true)}); len(diags) != 0 {
				t.Errorf("delete of a gone plugin:%s", acctest.RenderDiags(diags))
			}
			if n := emu.Count("DELETE", "/api/plugins/gone"); n != 1 {
				t.Errorf("%d DELETE requests, want 1", n)
			}
		})
	}
}
