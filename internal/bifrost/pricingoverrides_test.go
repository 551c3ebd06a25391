package bifrost_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The client's pricing override bodies are the recorded ones, and the
// recorded answers (v1.5.1 and v2) decode, the patch string included.
func TestPricingOverrideRecordings(t *testing.T) {
	for _, file := range []string{v151Exchanges, v2Exchanges} {
		ex := loadExchanges(t, file)
		create := ex["create pricing override"]
		got, err := json.Marshal(bifrost.PricingOverrideCreate{
			Name: "po1", ScopeKind: "provider", ProviderID: "openai", MatchType: "exact", Pattern: "gpt-4o",
			RequestTypes: []string{"chat_completion"}, Patch: bifrost.PricingPatch{"input_cost_per_token": 1e-6},
		})
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, file+": create body", got, create.Request)
		if create.Status != http.StatusCreated {
			t.Errorf("%s: recorded create status %d", file, create.Status)
		}

		var env struct {
			PricingOverride bifrost.PricingOverride `json:"pricing_override"`
		}
		if err := json.Unmarshal([]byte(create.ResponseRaw), &env); err != nil {
			t.Fatal(err)
		}
		o := env.PricingOverride
		patch, err := o.Patch()
		if err != nil {
			t.Fatal(err)
		}
		if o.ID == "" || o.Name != "po1" || o.ScopeKind != "provider" || o.ProviderID != "openai" || o.VirtualKeyID != "" ||
			o.MatchType != "exact" || o.Pattern != "gpt-4o" || !reflect.DeepEqual(o.RequestTypes, []string{"chat_completion"}) ||
			!reflect.DeepEqual(patch, bifrost.PricingPatch{"input_cost_per_token": 1e-6}) {
			t.Errorf("%s: create answer decoded as %+v, patch %v", file, o, patch)
		}

		var list struct {
			PricingOverrides []bifrost.PricingOverride `json:"pricing_overrides"`
		}
		if err := json.Unmarshal([]byte(ex["list pricing overrides"].ResponseRaw), &list); err != nil {
			t.Fatal(err)
		}
		if found, err := bifrost.FindPricingOverride(list.PricingOverrides, o.ID); err != nil || found.Name != "po1" {
			t.Errorf("%s: %v in the recorded list: %+v, %v", file, o.ID, found, err)
		}
		if _, err := bifrost.FindPricingOverride(list.PricingOverrides, "nope"); !bifrost.IsNotFound(err) {
			t.Errorf("%s: an id not in the list: %v, want a not-found error", file, err)
		}

		upd := ex["update pricing override patch only"]
		got, _ = json.Marshal(bifrost.PricingOverrideUpdate{Patch: &bifrost.PricingPatch{"output_cost_per_token": 2e-6}})
		sameJSON(t, file+": update body", got, upd.Request)
	}

	// An update that moves to another scope: ids set, cleared (null) or left.
	b, _ := json.Marshal(bifrost.PricingOverrideUpdate{ScopeKind: ptr("virtual_key"), VirtualKeyID: bifrost.IDUpdate("vk"),
		ProviderID: bifrost.IDUpdate(""), Patch: &bifrost.PricingPatch{}})
	sameJSON(t, "scope update", b, []byte(`{"scope_kind":"virtual_key","virtual_key_id":"vk","provider_id":null,"patch":{}}`))
}

// TestPricingOverrideRoundTrip drives create (201), read through the list,
// each kind of update and delete against the emulator, on both versions.
func TestPricingOverrideRoundTrip(t *testing.T) {
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
			o, err := c.CreatePricingOverride(ctx, bifrost.PricingOverrideCreate{
				Name: "contract", ScopeKind: "virtual_key_provider", VirtualKeyID: "vk-1", ProviderID: "openai",
				MatchType: "wildcard", Pattern: "gpt-4o*", RequestTypes: []string{"chat_completion", "responses"},
				Patch: bifrost.PricingPatch{"input_cost_per_token": 1.5e-6, "output_cost_per_token": 0},
			})
			if err != nil {
				t.Fatal(err)
			}
			if n := srv.Count(http.MethodPost, "/api/governance/pricing-overrides"); n != 1 {
				t.Errorf("%d creates sent", n)
			}
			got, err := c.GetPricingOverride(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			patch, _ := got.Patch()
			if got.VirtualKeyID != "vk-1" || got.ProviderID != "openai" || got.ProviderKeyID != "" ||
				!reflect.DeepEqual(patch, bifrost.PricingPatch{"input_cost_per_token": 1.5e-6, "output_cost_per_token": 0}) {
				t.Errorf("read back %+v, patch %v", got, patch)
			}

			// To the global scope: every id cleared; the patch replaced.
			up, err := c.UpdatePricingOverride(ctx, o.ID, bifrost.PricingOverrideUpdate{
				Name: ptr("renamed"), ScopeKind: ptr("global"), VirtualKeyID: bifrost.ClearID(), ProviderID: bifrost.ClearID(),
				ProviderKeyID: bifrost.ClearID(), MatchType: ptr("exact"), Pattern: ptr("gpt-4o"), RequestTypes: []string{"embedding"},
				Patch: &bifrost.PricingPatch{"output_cost_per_token": 3e-6},
			})
			if err != nil {
				t.Fatal(err)
			}
			patch, _ = up.Patch()
			if up.Name != "renamed" || up.ScopeKind != "global" || up.VirtualKeyID != "" || up.ProviderID != "" || up.MatchType != "exact" ||
				!reflect.DeepEqual(up.RequestTypes, []string{"embedding"}) || !reflect.DeepEqual(patch, bifrost.PricingPatch{"output_cost_per_token": 3e-6}) {
				t.Errorf("updated %+v, patch %v", up, patch)
			}

			// Refused as the recordings say.
			_, err = c.CreatePricingOverride(ctx, bifrost.PricingOverrideCreate{Name: "x", ScopeKind: "global", MatchType: "exact",
				Pattern: "m", RequestTypes: []string{"chat_completion_stream"}})
			var apiErr *bifrost.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "use the base type") {
				t.Errorf("stream request type: %v", err)
			}

			if err := c.DeletePricingOverride(ctx, o.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetPricingOverride(ctx, o.ID); !bifrost.IsNotFound(err) {
				t.Errorf("read after delete: %v, want not found", err)
			}
			if err := c.DeletePricingOverride(ctx, o.ID); !bifrost.IsNotFound(err) {
				t.Errorf("second delete: %v, want not found", err)
			}
			if _, err := c.UpdatePricingOverride(ctx, o.ID, bifrost.PricingOverrideUpdate{Name: ptr("x")}); !bifrost.IsNotFound(err) {
				t.Errorf("update after delete: %v, want not found", err)
			}
		})
	}
}

// TestNonJSONSuccessIsAnError: the 200 text/html page a real server answers
// to a GET it does not route (recorded for GET /pricing-overrides/{id}) is
// an error, never data, whether or not the caller decodes the body.
func TestNonJSONSuccessIsAnError(t *testing.T) {
	ex := loadExchanges(t, v151Exchanges)
	page := ex["get pricing override by id (not routed?)"]
	if page.Status != http.StatusOK || !strings.HasPrefix(page.ResponseRaw, "<!doctype html>") {
		t.Fatalf("recording: %d %q", page.Status, page.ResponseRaw)
	}
	for _, ctype := range []string{"text/html; charset=utf-8", ""} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(page.ResponseRaw))
		}))
		c := newClient(t, srv.URL, 0)
		_, err := c.ListPricingOverrides(context.Background())
		if err == nil || !strings.Contains(err.Error(), "HTML page") || !strings.Contains(err.Error(), "not JSON") {
			t.Errorf("list answered by an HTML page (%q): %v", ctype, err)
		}
		// Without a body to decode (delete), still an error.
		if err := c.DeletePricingOverride(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "HTML page") {
			t.Errorf("delete answered by an HTML page (%q): %v", ctype, err)
		}
		srv.Close()
	}
	// The emulator answers the same page to the unrouted GET.
	srv, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get(srv.URL() + "/api/governance/pricing-overrides/some-id")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("emulator GET by id: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// JSON without a Content-Type (as some proxies send it) is still data.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"pricing_overrides":[],"count":0}` + "\n"))
	}))
	defer plain.Close()
	if _, err := newClient(t, plain.URL, 0).ListPricingOverrides(context.Background()); err != nil {
		t.Errorf("JSON list: %v", err)
	}
}
