package bifrost_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The recorded GET /api/config answers of both versions decode with
// nothing left over, and client_config written back is the recorded one.
func TestClientConfigDecodesRecordings(t *testing.T) {
	for _, file := range []string{v151Exchanges, v2Exchanges} {
		rec := loadExchanges(t, file)["get config"]
		var cfg bifrost.ServerConfig
		if err := json.Unmarshal([]byte(rec.ResponseRaw), &cfg); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		cc := cfg.ClientConfig
		if cc.InitialPoolSize != 5000 || cc.EnableLogging == nil || !*cc.EnableLogging || cc.LogRetentionDays != 0 ||
			!reflect.DeepEqual(cc.AllowedOrigins, []string{"*"}) || cc.MaxRequestBodySizeMB != 100 || cc.Compat == nil ||
			cc.MCPCodeModeBindingLevel != "server" || cc.RoutingChainMaxDepth != 10 || !cfg.IsDBConnected ||
			cfg.RestartRequired == nil || cfg.RestartRequired.Required {
			t.Errorf("%s: decoded %+v", file, cfg)
		}
		if len(cc.Extra) != 0 {
			t.Errorf("%s: unmodelled members %v", file, cc.Extra)
		}
		v2 := strings.Contains(file, "v2")
		if got := cc.AllowDirectKeys != nil; got != v2 {
			t.Errorf("%s: allow_direct_keys present = %v", file, got)
		}
		var whole struct {
			ClientConfig json.RawMessage `json:"client_config"`
		}
		if err := json.Unmarshal([]byte(rec.ResponseRaw), &whole); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(cc)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, file, b, whole.ClientConfig)
	}
}

// Members of a newer server are kept and sent back as read.
func TestClientConfigKeepsUnknownMembers(t *testing.T) {
	in := `{"log_retention_days":3,"future_flag":{"a":[1,2]},"future_level":"high"}`
	var cc bifrost.ClientConfig
	if err := json.Unmarshal([]byte(in), &cc); err != nil {
		t.Fatal(err)
	}
	if cc.LogRetentionDays != 3 || len(cc.Extra) != 2 {
		t.Fatalf("decoded %+v", cc)
	}
	cc.LogRetentionDays = 4
	b, err := json.Marshal(cc)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if string(got["future_flag"]) != `{"a":[1,2]}` || string(got["future_level"]) != `"high"` || string(got["log_retention_days"]) != "4" {
		t.Errorf("sent %s", b)
	}
}

// The PUT body is client_config only: never auth_config, nor
// framework_config (whose pricing_url the server would fetch).
func TestUpdateClientConfigBody(t *testing.T) {
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut || r.URL.Path != "/api/config" {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		body, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"message":"configuration updated successfully","status":"success"}`+"\n")
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, 0)
	var cfg bifrost.ServerConfig
	if err := json.Unmarshal([]byte(loadExchanges(t, v151Exchanges)["get config"].ResponseRaw), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.ClientConfig.LogRetentionDays = 30
	if err := c.UpdateClientConfig(context.Background(), cfg.ClientConfig); err != nil {
		t.Fatal(err)
	}
	var sent map[string]map[string]json.RawMessage
	if err := json.Unmarshal(body, &sent); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if len(sent) != 1 || sent["client_config"] == nil || string(sent["client_config"]["log_retention_days"]) != "30" ||
		string(sent["client_config"]["initial_pool_size"]) != "5000" {
		t.Errorf("sent %s", body)
	}
}

// Against the emulator of each version: a fresh server's configuration
// cannot be echoed back (log_retention_days 0), a read-modified-written one
// changes only what was changed, and a restart-only change is reported.
func TestClientConfigRoundTrip(t *testing.T) {
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			token := ""
			if strings.HasPrefix(version, "v2.") {
				token = "config-setup-token-0123456789"
			}
			emu, err := emulator.Start(emulator.Options{Version: version, SetupToken: token})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(emu.Close)
			c, err := bifrost.New(bifrost.Config{Endpoint: emu.URL(), SetupToken: token})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			before, err := c.GetConfig(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = c.UpdateClientConfig(ctx, before.ClientConfig)
			var apiErr *bifrost.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Message, "log_retention_days must be at least 1") {
				t.Fatalf("echoing a fresh configuration: %v", err)
			}
			upd := before.ClientConfig
			upd.LogRetentionDays, upd.DropExcessRequests = 14, true
			upd.HeaderFilterConfig = &bifrost.HeaderFilterConfig{Denylist: []string{"x-internal"}}
			if err := c.UpdateClientConfig(ctx, upd); err != nil {
				t.Fatal(err)
			}
			after, err := c.GetConfig(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := before.ClientConfig
			want.LogRetentionDays, want.DropExcessRequests = 14, true
			want.HeaderFilterConfig = &bifrost.HeaderFilterConfig{Denylist: []string{"x-internal"}}
			if !reflect.DeepEqual(after.ClientConfig, want) {
				t.Errorf("after the update\n got  %+v\n want %+v", after.ClientConfig, want)
			}
			if after.RestartRequired == nil || after.RestartRequired.Required {
				t.Errorf("restart required after a live change: %+v", after.RestartRequired)
			}
			upd = after.ClientConfig
			upd.InitialPoolSize = 6000
			if err := c.UpdateClientConfig(ctx, upd); err != nil {
				t.Fatal(err)
			}
			after, err = c.GetConfig(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if after.ClientConfig.InitialPoolSize != 6000 || after.RestartRequired == nil || !after.RestartRequired.Required ||
				!strings.Contains(after.RestartRequired.Reason, "Initial pool size") {
				t.Errorf("after a pool size change: %d, %+v", after.ClientConfig.InitialPoolSize, after.RestartRequired)
			}
		})
	}
}
