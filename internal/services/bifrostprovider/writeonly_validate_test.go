package bifrostprovider_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
)

// TestWriteOnlyProxyPasswordValidation: proxy_config.password_wo conflicts
// with password and needs password_wo_version, which needs it.
func TestWriteOnlyProxyPasswordValidation(t *testing.T) {
	ps, srv, s := providerServer(t, "v2.2.6")
	const pw, wo = "proxy-password-0123456789", "proxy-wo-0123456789abcdef"
	validate := func(t *testing.T, attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
		t.Helper()
		all := map[string]tftypes.Value{"type": str("http"), "url": str("http://proxy.internal:3128")}
		for n, v := range attrs {
			all[n] = v
		}
		cfg := ps.Value(t, ps.ResourceType(resourceType), customWith(proxy(all))(t, s))
		v, err := ps.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
			TypeName: resourceType, Config: &cfg,
			ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		return v.Diagnostics
	}
	const p = "proxy_config.password"
	t.Run("both forms", func(t *testing.T) {
		diags := validate(t, map[string]tftypes.Value{"password": str(pw), "password_wo": str(wo), "password_wo_version": num(1)})
		expectOne(t, diags, tfprotov6.DiagnosticSeverityError, p, []string{"Invalid Attribute Combination", p + "_wo"})
	})
	t.Run("version without the write-only form", func(t *testing.T) {
		diags := validate(t, map[string]tftypes.Value{"password_wo_version": num(1)})
		expectOne(t, diags, tfprotov6.DiagnosticSeverityError, p+"_wo_version", []string{p + "_wo", "must be specified"})
	})
	t.Run("write-only form without a version", func(t *testing.T) {
		diags := validate(t, map[string]tftypes.Value{"password_wo": str(wo)})
		expectOne(t, diags, tfprotov6.DiagnosticSeverityError, p+"_wo", []string{p + "_wo_version", "must be specified"})
	})
	t.Run("write-only form with a version", func(t *testing.T) {
		if diags := validate(t, map[string]tftypes.Value{"password_wo": str(wo), "password_wo_version": num(1)}); len(diags) != 0 {
			t.Errorf("want no diagnostics, got:%s", acctest.RenderDiags(diags))
		}
	})
	expectNoWrites(t, srv)
}
