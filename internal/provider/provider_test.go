package provider_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
)

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func configure(t *testing.T, attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	_, diags := acctest.ConfigureProtocolServer(t, attrs)
	return diags
}

func find(diags []*tfprotov6.Diagnostic, sev tfprotov6.DiagnosticSeverity, summary string) *tfprotov6.Diagnostic {
	for _, d := range diags {
		if d.Severity == sev && d.Summary == summary {
			return d
		}
	}
	return nil
}

func TestConfigurePlainHTTPWarning(t *testing.T) {
	t.Setenv("BIFROST_ENDPOINT", "")
	diags := configure(t, map[string]tftypes.Value{
		"endpoint": str("http://bifrost.internal.example:8080"), "username": str("admin"), "password": str("pw-0123456789"),
	})
	d := find(diags, tfprotov6.DiagnosticSeverityWarning, "Credentials sent over plain HTTP")
	if d == nil || d.Attribute == nil || !strings.Contains(d.Detail, "bifrost.internal.example") {
		t.Fatalf("no attribute-level warning for credentials over http: %v", acctest.Diags(diags))
	}
	if strings.Contains(d.Detail, "pw-0123456789") {
		t.Fatal("the warning shows the password")
	}
	for _, loopback := range []string{"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"} {
		if d := find(configure(t, map[string]tftypes.Value{"endpoint": str(loopback), "token": str("t")}), tfprotov6.DiagnosticSeverityWarning, "Credentials sent over plain HTTP"); d != nil {
			t.Errorf("warned for loopback %s", loopback)
		}
	}
	if d := find(configure(t, map[string]tftypes.Value{"endpoint": str("http://bifrost.internal.example:8080")}), tfprotov6.DiagnosticSeverityWarning, "Credentials sent over plain HTTP"); d != nil {
		t.Error("warned without credentials")
	}
}

func TestConfigureUnknownValue(t *testing.T) {
	diags := configure(t, map[string]tftypes.Value{"endpoint": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})
	d := find(diags, tfprotov6.DiagnosticSeverityError, "Unknown provider configuration value")
	if d == nil || !strings.Contains(d.Detail, `"endpoint" is not known until apply`) {
		t.Fatalf("got %v", acctest.Diags(diags))
	}
}

func TestConfigureFromEnvironment(t *testing.T) {
	t.Setenv("BIFROST_ENDPOINT", "not-a-url")
	diags := configure(t, nil)
	if d := find(diags, tfprotov6.DiagnosticSeverityError, "Invalid Bifrost endpoint"); d == nil || !strings.Contains(d.Detail, `"not-a-url"`) {
		t.Fatalf("BIFROST_ENDPOINT was not read: %v", acctest.Diags(diags))
	}
	t.Setenv("BIFROST_ENDPOINT", "http://127.0.0.1:1")
	t.Setenv("BIFROST_TOKEN", "tok")
	t.Setenv("BIFROST_USERNAME", "admin")
	t.Setenv("BIFROST_PASSWORD", "pw")
	if d := find(configure(t, nil), tfprotov6.DiagnosticSeverityError, "Conflicting authentication settings"); d == nil {
		t.Fatal("token and basic auth from the environment were not refused")
	}
}
