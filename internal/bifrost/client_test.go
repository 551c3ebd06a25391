package bifrost_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

func TestMask(t *testing.T) {
	// Pairs from the recorded exchanges of a real Bifrost v1.5.1.
	for in, want := range map[string]string{
		"":                                   "",
		"sk-12345":                           "********",
		"123456":                             "******",
		"sk-test-1234567890abcdefghijklmnop": "sk-t************************mnop",
		"sk-r************************IHG":    "sk-r*************************IHG",
		"https://example.openai.azure.com":   "http************************.com",
	} {
		if got := bifrost.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLooksRedacted(t *testing.T) {
	for s, want := range map[string]bool{
		"sk-t************************mnop": true, "********": true, "<redacted>": true, "[REDACTED]": true,
		"sk-test-1234567890abcdefghijklmnop": false, "": false, "sk-t***": false,
	} {
		if got := bifrost.LooksRedacted(s); got != want {
			t.Errorf("LooksRedacted(%q) = %v", s, got)
		}
	}
}

func TestSecretVarDecodesEveryShape(t *testing.T) {
	cases := map[string]bifrost.SecretVar{
		`"sk-plain"`:       {Value: "sk-plain"},
		`"env.OPENAI_KEY"`: {Ref: "env.OPENAI_KEY", FromEnv: true},
		`{"value":"sk-t***","env_var":"","from_env":false}`:     {Value: "sk-t***"},
		`{"value":"sk-e***","env_var":"env.K","from_env":true}`: {Value: "sk-e***", Ref: "env.K", FromEnv: true},
		`{"value":"sk-t***","type":"plain_text"}`:               {Value: "sk-t***"},
		`{"value":"sk-e***","ref":"env.K","type":"env"}`:        {Value: "sk-e***", Ref: "env.K", FromEnv: true},
		`{"value":"","ref":"vault.kv/k","type":"vault"}`:        {Ref: "vault.kv/k", FromEnv: true},
		`null`: {},
	}
	for in, want := range cases {
		var got bifrost.SecretVar
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got != want {
			t.Errorf("%s decoded to %+v, want %+v", in, got, want)
		}
	}
	// Requests carry the plain-string form every version accepts.
	for sv, want := range map[bifrost.SecretVar]string{
		bifrost.Literal("sk-x"):                         `"sk-x"`,
		bifrost.Literal("env.K"):                        `"env.K"`,
		{Value: "ignored", Ref: "env.K", FromEnv: true}: `"env.K"`,
	} {
		b, _ := json.Marshal(sv)
		if string(b) != want {
			t.Errorf("%+v encoded as %s, want %s", sv, b, want)
		}
	}
}

func TestKeyKeepsUnmodelledFieldsAndNeverSendsServerFields(t *testing.T) {
	in := `{"id":"k1","name":"n","value":{"value":"sk-t***","env_var":"","from_env":false},"models":["*"],"blacklisted_models":[],"weight":1,"enabled":true,"use_for_batch_api":false,"config_hash":"h","status":"success","description":"d","future":{"a":1}}`
	var k bifrost.Key
	if err := json.Unmarshal([]byte(in), &k); err != nil {
		t.Fatal(err)
	}
	if k.Status != "success" || k.ConfigHash != "h" || string(k.Extra["future"]) != `{"a":1}` {
		t.Fatalf("decoded %+v", k)
	}
	k.Value = bifrost.Literal("sk-real-secret-0123456789")
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]json.RawMessage
	_ = json.Unmarshal(b, &out)
	for _, f := range []string{"status", "description", "config_hash"} {
		if _, ok := out[f]; ok {
			t.Errorf("request carries server-managed %s: %s", f, b)
		}
	}
	if string(out["future"]) != `{"a":1}` || string(out["value"]) != `"sk-real-secret-0123456789"` {
		t.Errorf("request lost a field: %s", b)
	}
}

func newClient(t *testing.T, endpoint string, maxRetries int) *bifrost.Client {
	t.Helper()
	c, err := bifrost.New(bifrost.Config{Endpoint: endpoint, MaxRetries: maxRetries, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond, UserAgent: "terraform-provider-bifrost/test"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func key(name string) bifrost.Key {
	return bifrost.Key{Name: name, Value: bifrost.Literal("sk-client-test-0123456789abcdef"), Models: []string{"*"}, Weight: 1}
}

func TestRetryPolicy(t *testing.T) {
	ctx := context.Background()
	srv, err := emulator.Start(emulator.Options{Providers: []string{"openai"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newClient(t, srv.URL(), 3)
	keys := "/api/providers/openai/keys"

	t.Run("429 honours Retry-After", func(t *testing.T) {
		srv.FailNext(1, emulator.Fault{Method: http.MethodGet, Status: 429, RetryAfter: "1"})
		start := time.Now()
		if _, err := c.ListKeys(ctx, "openai"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < time.Second {
			t.Errorf("retried after %s, before the 1s Retry-After", d)
		}
	})
	t.Run("plain 500 on a create is not retried", func(t *testing.T) {
		srv.ResetRequests()
		srv.FailNext(1, emulator.Fault{Method: http.MethodPost, Status: 500, Message: "boom"})
		_, err := c.CreateKey(ctx, "openai", key("k500"))
		var apiErr *bifrost.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Message != "boom" || apiErr.Attempts != 1 {
			t.Fatalf("got %v", err)
		}
		if n := srv.Count(http.MethodPost, keys); n != 1 {
			t.Errorf("%d POSTs", n)
		}
	})
	t.Run("database is locked is retried, also on a create", func(t *testing.T) {
		srv.ResetRequests()
		srv.FailNext(2, emulator.Fault{Method: http.MethodPost, Status: 500, Message: "Failed to create provider key: failed to create provider key in store: database is locked"})
		if _, err := c.CreateKey(ctx, "openai", key("klocked")); err != nil {
			t.Fatal(err)
		}
		if n := srv.Count(http.MethodPost, keys); n != 3 {
			t.Errorf("%d POSTs, want 3", n)
		}
	})
	t.Run("connection reset: a create without id is not retried, with id it is", func(t *testing.T) {
		srv.ResetRequests()
		srv.ResetConnections(1)
		if _, err := c.CreateKey(ctx, "openai", key("knoid")); err == nil {
			t.Fatal("a create of unknown outcome was retried blindly")
		}
		srv.ResetConnections(1)
		k := key("kwithid")
		k.ID = "client-chosen-1"
		if _, err := c.CreateKey(ctx, "openai", k); err != nil {
			t.Fatal(err)
		}
		if n := srv.Count(http.MethodPost, keys); n != 3 {
			t.Errorf("%d POSTs, want 3", n)
		}
	})
	t.Run("4xx is final; give-up reports attempts", func(t *testing.T) {
		srv.ResetRequests()
		_, err := c.GetKey(ctx, "openai", "nope")
		if !bifrost.IsNotFound(err) || srv.Count(http.MethodGet, keys) != 1 {
			t.Fatalf("404: %v after %d GETs", err, srv.Count(http.MethodGet, keys))
		}
		srv.FailNext(10, emulator.Fault{Method: http.MethodGet, Status: 503})
		_, err = c.ListKeys(ctx, "openai")
		var apiErr *bifrost.APIError
		if !errors.As(err, &apiErr) || apiErr.Attempts != 4 || !strings.Contains(err.Error(), "after 4 attempts") {
			t.Fatalf("got %v", err)
		}
		srv.FailNext(0, emulator.Fault{})
	})
}

func TestHeaders(t *testing.T) {
	var got http.Header
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`"v1.5.1"`))
	}))
	defer ts.Close()
	c, err := bifrost.New(bifrost.Config{Endpoint: ts.URL, Username: "admin", Password: "pw", SetupToken: "st", UserAgent: "terraform-provider-bifrost/1.2.3", Headers: map[string]string{"X-Team": "platform"}})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := c.Version(context.Background()); err != nil || v != "v1.5.1" {
		t.Fatalf("version %q %v", v, err)
	}
	for h, want := range map[string]string{
		"User-Agent": "terraform-provider-bifrost/1.2.3", "Authorization": "Basic YWRtaW46cHc=",
		"X-Bifrost-Setup-Token": "st", "X-Team": "platform",
	} {
		if got.Get(h) != want {
			t.Errorf("%s = %q, want %q", h, got.Get(h), want)
		}
	}
}

func TestParseEndpoint(t *testing.T) {
	for in, ok := range map[string]bool{
		"http://localhost:8080": true, "https://bifrost.example.com/": true,
		"localhost:8080": false, "ftp://x": false, "http://": false, "https://user:pw@host": false,
	} {
		if _, err := bifrost.ParseEndpoint(in); (err == nil) != ok {
			t.Errorf("ParseEndpoint(%q): %v", in, err)
		}
	}
}

// TestReadKeyServesAPlanFromOneList: many concurrent reads of one provider's
// keys cost one list request; a write drops the list; a key missing from the
// list is confirmed with its own GET.
func TestReadKeyServesAPlanFromOneList(t *testing.T) {
	ctx := context.Background()
	srv, err := emulator.Start(emulator.Options{Providers: []string{"openai"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newClient(t, srv.URL(), 0)
	var ids []string
	for i := range 50 {
		k := key("cache-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26))
		k.ID = k.Name
		if _, err := c.CreateKey(ctx, "openai", k); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, k.ID)
	}
	srv.ResetRequests()
	errs := make(chan error, len(ids))
	for _, id := range ids {
		go func() {
			k, err := c.ReadKey(ctx, "openai", id)
			if err == nil && k.ID != id {
				err = errors.New("read the wrong key")
			}
			errs <- err
		}()
	}
	for range ids {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("%d requests for 50 reads, want 1 list", n)
	}
	if _, err := c.ReadKey(ctx, "openai", "absent"); !bifrost.IsNotFound(err) {
		t.Fatalf("absent key: %v", err)
	}
	if n := srv.Count(http.MethodGet, "/api/providers/openai/keys/absent"); n != 1 {
		t.Fatalf("an absent key was not confirmed with a GET (%d)", n)
	}
	k := key("cache-a")
	k.ID, k.Weight = "cache-a", 9
	if _, err := c.UpdateKey(ctx, "openai", k); err != nil {
		t.Fatal(err)
	}
	got, err := c.ReadKey(ctx, "openai", "cache-a")
	if err != nil || got.Weight != 9 {
		t.Fatalf("read after write saw weight %v (%v): the list was not dropped", got.Weight, err)
	}
}

func TestKeyRichAliasesRoundTrip(t *testing.T) {
	var k bifrost.Key
	in := `{"id":"a","name":"n","value":{"value":"","ref":"","type":"plain_text"},"models":["*"],"blacklisted_models":[],"weight":1,` +
		`"aliases":{"fast":"gpt-4o-mini","smart":{"model_id":"claude-sonnet","model_name":"Claude","inference_profile_arn":{"value":"arn:************************e/x"}}}}`
	if err := json.Unmarshal([]byte(in), &k); err != nil {
		t.Fatal(err)
	}
	smart := k.AliasConfigs["smart"]
	if k.Aliases["fast"] != "gpt-4o-mini" || len(k.Aliases) != 1 || smart.ModelID != "claude-sonnet" || smart.ModelName != "Claude" ||
		smart.InferenceProfileARN == nil || smart.InferenceProfileARN.Value != "arn:************************e/x" {
		t.Fatalf("aliases %v, rich %+v", k.Aliases, k.AliasConfigs)
	}
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Aliases map[string]json.RawMessage `json:"aliases"`
	}
	_ = json.Unmarshal(b, &out)
	if string(out.Aliases["fast"]) != `"gpt-4o-mini"` || !strings.Contains(string(out.Aliases["smart"]), `"model_id":"claude-sonnet"`) {
		t.Fatalf("aliases sent as %s", b)
	}
}

func TestParseServerVersion(t *testing.T) {
	for in, want := range map[string][3]int{"v1.5.1-snapshot": {1, 5, 1}, "v2.2.6": {2, 2, 6}, "2.10": {2, 10, 0}} {
		v, err := bifrost.ParseServerVersion(in)
		if err != nil || [3]int{v.Major, v.Minor, v.Patch} != want {
			t.Errorf("%s: %+v %v", in, v, err)
		}
	}
	if _, err := bifrost.ParseServerVersion("dev"); err == nil {
		t.Error("accepted a version without numbers")
	}
}
