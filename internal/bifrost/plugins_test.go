package bifrost_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The recorded plugin answers (v1.5.1 and v2) decode: the empty list, the
// 404 of an unknown name (a not-found error), and the delete of an unknown
// name (200 on v1.5.1, 404 on v2).
func TestPluginRecordings(t *testing.T) {
	for _, file := range []string{v151Exchanges, v2Exchanges} {
		ex := loadExchanges(t, file)
		var list struct {
			Plugins []bifrost.Plugin `json:"plugins"`
			Count   int              `json:"count"`
		}
		if err := json.Unmarshal([]byte(ex["list plugins"].ResponseRaw), &list); err != nil || list.Plugins == nil || list.Count != 0 {
			t.Errorf("%s: list decoded as %+v, %v", file, list, err)
		}
		if _, err := bifrost.FindPlugin(list.Plugins, "nope"); !bifrost.IsNotFound(err) {
			t.Errorf("%s: FindPlugin in an empty list: %v, want not found", file, err)
		}
		if get := ex["get plugin unknown"]; get.Status != http.StatusNotFound || !strings.Contains(get.ResponseRaw, "Plugin not found") {
			t.Errorf("%s: recorded get unknown %d %s", file, get.Status, get.ResponseRaw)
		}
		del := ex["delete plugin unknown"]
		want := http.StatusOK
		if file == v2Exchanges {
			want = http.StatusNotFound
		}
		if del.Status != want {
			t.Errorf("%s: recorded delete unknown %d, want %d", file, del.Status, want)
		}
	}

	// Both shapes decode into Plugin: the list/write answer and the raw row.
	var w bifrost.Plugin
	wire := `{"name":"otel","actualName":"otel","enabled":true,"config":{"endpoint":"x"},"isCustom":false,"path":null,` +
		`"placement":"post_builtin","order":2,"status":{"name":"otel","status":"active","logs":[]}}`
	if err := json.Unmarshal([]byte(wire), &w); err != nil || w.Status == nil || w.Status.Status != "active" || w.Path != nil ||
		*w.Placement != "post_builtin" || *w.Order != 2 || string(w.Config) != `{"endpoint":"x"}` {
		t.Errorf("wire shape decoded as %+v, %v", w, err)
	}
	var r bifrost.Plugin
	row := `{"id":3,"name":"custom","enabled":false,"path":"/p.so","created_at":"t","version":1,"updated_at":"t","isCustom":true,"config_hash":"","config":{}}`
	if err := json.Unmarshal([]byte(row), &r); err != nil || r.ID != 3 || *r.Path != "/p.so" || !r.IsCustom || !bifrost.PluginConfigEmpty(r.Config) {
		t.Errorf("row shape decoded as %+v, %v", r, err)
	}
	for raw, want := range map[string]bool{"": true, "null": true, "{}": true, ` { } `: true, `{"a":1}`: false} {
		if got := bifrost.PluginConfigEmpty(json.RawMessage(raw)); got != want {
			t.Errorf("PluginConfigEmpty(%q) = %v", raw, got)
		}
	}

	// The bodies: a create names the plugin; an update always sends enabled.
	b, _ := json.Marshal(bifrost.PluginCreate{Name: "maxim", Enabled: true, Config: json.RawMessage(`{"api_key":"k"}`)})
	sameJSON(t, "create body", b, []byte(`{"name":"maxim","enabled":true,"config":{"api_key":"k"}}`))
	b, _ = json.Marshal(bifrost.PluginUpdate{Path: ptr("/x.so"), Order: ptr(int64(0))})
	sameJSON(t, "update body", b, []byte(`{"enabled":false,"path":"/x.so","order":0}`))
}

// TestPluginRoundTrip drives create (201), get (raw row), list, the
// refused duplicate create, the full-replacement update, the upsert of a
// missing plugin and delete against the emulator, on both versions.
func TestPluginRoundTrip(t *testing.T) {
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			opts := emulator.Options{Version: version}
			if strings.HasPrefix(version, "v2.") {
				opts.SetupToken = "setup-token-0123456789"
			}
			srv, err := emulator.Start(opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			c, err := bifrost.New(bifrost.Config{Endpoint: srv.URL(), SetupToken: opts.SetupToken})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()

			p, err := c.CreatePlugin(ctx, bifrost.PluginCreate{Name: "custom-a", Enabled: true, Config: json.RawMessage(`{"k":"v","n":1}`),
				Path: ptr("/opt/a.so"), Placement: ptr("pre_builtin"), Order: ptr(int64(3))})
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != "custom-a" || !p.Enabled || !p.IsCustom || p.Status == nil || *p.Path != "/opt/a.so" {
				t.Errorf("created %+v", p)
			}
			got, err := c.GetPlugin(ctx, "custom-a")
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "stored config", got.Config, []byte(`{"k":"v","n":1}`))
			if got.ID == 0 || got.Status != nil || *got.Placement != "pre_builtin" || *got.Order != 3 || *got.Path != "/opt/a.so" {
				t.Errorf("read back %+v", got)
			}
			all, err := c.ListPlugins(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if f, err := bifrost.FindPlugin(all, "custom-a"); err != nil || f.Status == nil {
				t.Errorf("listed %+v, %v", f, err)
			}

			_, err = c.CreatePlugin(ctx, bifrost.PluginCreate{Name: "custom-a"})
			if !bifrost.IsConflict(err) {
				t.Errorf("duplicate create: %v, want 409", err)
			}
			_, err = c.CreatePlugin(ctx, bifrost.PluginCreate{Name: "x", Placement: ptr("middle")})
			var apiErr *bifrost.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "Invalid placement") {
				t.Errorf("bad placement: %v", err)
			}

			// A full replacement: what is left out is reset.
			up, err := c.UpdatePlugin(ctx, "custom-a", bifrost.PluginUpdate{Config: json.RawMessage(`{"k":"w"}`)})
			if err != nil {
				t.Fatal(err)
			}
			if up.Enabled || up.Path != nil || up.Placement != nil || up.Order != nil {
				t.Errorf("update kept fields left out: %+v", up)
			}

			// A built-in drops its path; PUT creates a missing plugin.
			bi, err := c.UpdatePlugin(ctx, "otel", bifrost.PluginUpdate{Enabled: true, Path: ptr("/ignored.so")})
			if err != nil {
				t.Fatal(err)
			}
			if bi.IsCustom || bi.Path != nil {
				t.Errorf("built-in upserted as %+v", bi)
			}
			if _, err := c.GetPlugin(ctx, "otel"); err != nil {
				t.Errorf("upserted plugin not stored: %v", err)
			}

			for _, name := range []string{"custom-a", "otel"} {
				if err := c.DeletePlugin(ctx, name); err != nil {
					t.Fatal(err)
				}
				if _, err := c.GetPlugin(ctx, name); !bifrost.IsNotFound(err) {
					t.Errorf("read after delete: %v, want not found", err)
				}
			}
			err = c.DeletePlugin(ctx, "custom-a")
			if strings.HasPrefix(version, "v2.") != bifrost.IsNotFound(err) || (err != nil && !bifrost.IsNotFound(err)) {
				t.Errorf("second delete on %s: %v", version, err)
			}
		})
	}
}
