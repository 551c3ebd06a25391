package bifrost_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// recorded is one exchange of the recordings of a real server.
type recorded struct {
	Note        string          `json:"note"`
	Method      string          `json:"method"`
	Path        string          `json:"path"`
	Request     json.RawMessage `json:"request"`
	Status      int             `json:"status"`
	ResponseRaw string          `json:"response_raw"`
}

func loadExchanges(t *testing.T, file string) map[string]recorded {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	out := map[string]recorded{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e recorded
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		out[e.Note] = e
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameJSON compares two JSON texts as values.
func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got  %s\n want %s", what, got, want)
	}
}

func ptr[T any](v T) *T { return &v }

const (
	v151Exchanges = "../emulator/testdata/governance-exchanges.jsonl"
	v2Exchanges   = "../emulator/testdata/v2/governance-exchanges-v2.jsonl"
)

// The request bodies the client writes are the ones a real v1.5.1 server
// was sent (and accepted) in the recordings.
func TestGovernanceCreateBodiesMatchRecordings(t *testing.T) {
	ex := loadExchanges(t, v151Exchanges)
	customer := ex["create customer"]
	team := ex["create team"]
	vk := ex["create vk"]

	var recTeam struct {
		CustomerID string `json:"customer_id"`
	}
	_ = json.Unmarshal(team.Request, &recTeam)
	var recVK struct {
		TeamID string `json:"team_id"`
	}
	_ = json.Unmarshal(vk.Request, &recVK)

	for _, tc := range []struct {
		name string
		in   any
		rec  recorded
	}{
		{"customer", bifrost.CustomerCreate{
			Name:      "acme",
			Budget:    &bifrost.BudgetRequest{MaxLimit: 1000, ResetDuration: "1M"},
			RateLimit: &bifrost.RateLimitRequest{RequestMaxLimit: ptr[int64](100), RequestResetDuration: ptr("1h")},
		}, customer},
		{"team", bifrost.TeamCreate{
			Name: "ml", CustomerID: recTeam.CustomerID,
			Budgets:   []bifrost.BudgetRequest{{MaxLimit: 100, ResetDuration: "1M"}, {MaxLimit: 10, ResetDuration: "1d"}},
			RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: ptr[int64](1000), TokenResetDuration: ptr("1h")},
		}, team},
		{"virtual key", bifrost.VirtualKeyCreate{
			Name: "vk1", Description: "d", TeamID: recVK.TeamID,
			Budgets:   []bifrost.BudgetRequest{{MaxLimit: 50, ResetDuration: "1M"}},
			RateLimit: &bifrost.RateLimitRequest{RequestMaxLimit: ptr[int64](60), RequestResetDuration: ptr("1m")},
			ProviderConfigs: []bifrost.ProviderConfigRequest{{
				Provider: "openai", Weight: ptr(1.0), AllowedModels: []string{"*"}, KeyIDs: []string{"k1"},
				Budgets: []bifrost.BudgetRequest{{MaxLimit: 5, ResetDuration: "1d"}},
			}},
		}, vk},
	} {
		got, err := json.Marshal(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, tc.name, got, tc.rec.Request)
	}

	// The recorded update bodies, likewise.
	upd := ex["update vk provider_configs with id (keep)"]
	u := bifrost.VirtualKeyUpdate{ProviderConfigs: &[]bifrost.ProviderConfigRequest{{
		ID: ptr[uint](1), Provider: "openai", Weight: ptr(2.0), AllowedModels: []string{"gpt-4o"}, KeyIDs: []string{"*"},
	}}}
	u.Owner(recVK.TeamID, "")
	got, _ := json.Marshal(u)
	// The client always sends budgets ([]: none) and the non-owner as null.
	want := strings.Replace(string(upd.Request), `"key_ids": ["*"]`, `"key_ids": ["*"], "budgets": []`, 1)
	want = strings.Replace(want, `{"team_id"`, `{"customer_id": null, "team_id"`, 1)
	sameJSON(t, "vk update", got, []byte(want))

	rm, _ := json.Marshal(bifrost.TeamUpdate{RateLimit: bifrost.RemoveRateLimit(), Budgets: &[]bifrost.BudgetRequest{}})
	sameJSON(t, "removal", rm, []byte(`{"rate_limit":{},"budgets":[]}`))
}

// The recorded responses decode to what they say, on both versions.
func TestGovernanceResponsesDecode(t *testing.T) {
	for _, file := range []string{v151Exchanges, v2Exchanges} {
		ex := loadExchanges(t, file)
		var vkEnv struct {
			VirtualKey bifrost.VirtualKey `json:"virtual_key"`
		}
		if err := json.Unmarshal([]byte(ex["create vk"].ResponseRaw), &vkEnv); err != nil {
			t.Fatal(file, err)
		}
		vk := vkEnv.VirtualKey
		if !strings.HasPrefix(vk.Value, "sk-bf-") || vk.Name != "vk1" || vk.TeamID == "" || len(vk.Budgets) != 1 || vk.RateLimit == nil ||
			*vk.RateLimit.RequestMaxLimit != 60 || vk.RateLimit.TokenMaxLimit != nil {
			t.Errorf("%s: vk decoded as %+v", file, vk)
		}
		if len(vk.ProviderConfigs) != 1 {
			t.Fatalf("%s: provider configs %+v", file, vk.ProviderConfigs)
		}
		pc := vk.ProviderConfigs[0]
		if pc.ID != 1 || !reflect.DeepEqual(pc.KeyIDs(), []string{"k1"}) || *pc.Weight != 1 || len(pc.Budgets) != 1 || pc.Budgets[0].ResetDuration != "1d" {
			t.Errorf("%s: provider config %+v", file, pc)
		}
		if len(pc.Extra) != 0 {
			t.Errorf("%s: unmodelled provider config members %v", file, pc.Extra)
		}

		var cuEnv struct {
			Customer bifrost.Customer `json:"customer"`
		}
		if err := json.Unmarshal([]byte(ex["create customer"].ResponseRaw), &cuEnv); err != nil {
			t.Fatal(err)
		}
		if b := cuEnv.Customer.AllBudgets(); len(b) != 1 || b[0].MaxLimit != 1000 || b[0].ResetDuration != "1M" {
			t.Errorf("%s: customer budgets %+v", file, b)
		}
		var tEnv struct {
			Team bifrost.Team `json:"team"`
		}
		if err := json.Unmarshal([]byte(ex["create team"].ResponseRaw), &tEnv); err != nil {
			t.Fatal(err)
		}
		if tm := tEnv.Team; len(tm.Budgets) != 2 || tm.CustomerID == "" || tm.RateLimit == nil || *tm.RateLimit.TokenMaxLimit != 1000 {
			t.Errorf("%s: team %+v", file, tm)
		}
	}

	// allow_all_keys → ["*"]; an unknown member is kept and sent back.
	var pc bifrost.VirtualKeyProviderConfig
	if err := json.Unmarshal([]byte(`{"id":3,"provider":"openai","weight":null,"allow_all_keys":true,"keys":[],"allowed_models":["*"],"future":{"x":1}}`), &pc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pc.KeyIDs(), []string{"*"}) || pc.Weight != nil {
		t.Errorf("decoded %+v", pc)
	}
	b, _ := json.Marshal(pc.AsUpdate())
	sameJSON(t, "AsUpdate", b, []byte(`{"id":3,"provider":"openai","allowed_models":["*"],"key_ids":["*"],"budgets":[],"future":{"x":1}}`))

	// v2's SecretVar object form of the value.
	var vk bifrost.VirtualKey
	if err := json.Unmarshal([]byte(`{"id":"x","name":"n","value":{"value":"sk-bf-obj","type":"plain_text"}}`), &vk); err != nil || vk.Value != "sk-bf-obj" {
		t.Errorf("object value: %q %v", vk.Value, err)
	}
	if b, _ := json.Marshal(vk); strings.Contains(string(b), "sk-bf-obj") {
		t.Errorf("a marshalled VirtualKey carries its value: %s", b)
	}
}

func startGov(t *testing.T, version string) (*emulator.Server, *bifrost.Client) {
	t.Helper()
	srv, err := emulator.Start(emulator.Options{Version: version, Providers: []string{"openai"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL(), 5)
	if _, err := c.CreateKey(context.Background(), "openai", bifrost.Key{ID: "k1", Name: "k1", Value: bifrost.Literal("sk-gov-test-0123456789abcdef"), Models: []string{"*"}, Weight: 1}); err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestGovernanceRoundTrip(t *testing.T) {
	for _, version := range []string{"v1.5.1", "v2.0.0"} {
		t.Run(version, func(t *testing.T) {
			v2 := version != "v1.5.1"
			ctx := context.Background()
			_, c := startGov(t, version)

			// Customer.
			cc := bifrost.CustomerCreate{Name: "acme"}
			if v2 {
				cc.Budgets = []bifrost.BudgetRequest{{MaxLimit: 1000, ResetDuration: "1M"}, {MaxLimit: 100, ResetDuration: "1d"}}
			} else {
				cc.Budget = &bifrost.BudgetRequest{MaxLimit: 1000, ResetDuration: "1M"}
			}
			cu, err := c.CreateCustomer(ctx, cc)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{false: 1, true: 2}[v2]; len(cu.AllBudgets()) != want || cu.ID == "" {
				t.Fatalf("customer %+v", cu)
			}
			cuu := bifrost.CustomerUpdate{Name: ptr("acme2"), RateLimit: &bifrost.RateLimitRequest{RequestMaxLimit: ptr[int64](5), RequestResetDuration: ptr("1m")}}
			if cu, err = c.UpdateCustomer(ctx, cu.ID, cuu); err != nil || cu.Name != "acme2" || cu.RateLimit == nil || *cu.RateLimit.RequestMaxLimit != 5 {
				t.Fatalf("customer update: %+v %v", cu, err)
			}

			// Team under the customer.
			tm, err := c.CreateTeam(ctx, bifrost.TeamCreate{Name: "ml", CustomerID: cu.ID,
				Budgets:   []bifrost.BudgetRequest{{MaxLimit: 100, ResetDuration: "1M"}},
				RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: ptr[int64](1000), TokenResetDuration: ptr("1h"), RequestMaxLimit: ptr[int64](10), RequestResetDuration: ptr("1m")}})
			if err != nil {
				t.Fatal(err)
			}
			if tm.CustomerID != cu.ID || len(tm.Budgets) != 1 {
				t.Fatalf("team %+v", tm)
			}
			// Team rate limits are replaced whole: the request half goes.
			tm, err = c.UpdateTeam(ctx, tm.ID, bifrost.TeamUpdate{RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: ptr[int64](9), TokenResetDuration: ptr("1h")}})
			if err != nil || tm.RateLimit == nil || tm.RateLimit.RequestMaxLimit != nil || *tm.RateLimit.TokenMaxLimit != 9 {
				t.Fatalf("team update: %+v %v", tm, err)
			}
			if got, err := c.GetTeam(ctx, tm.ID); err != nil || got.Name != "ml" {
				t.Fatalf("get team: %+v %v", got, err)
			}
			if teams, err := c.ListTeams(ctx); err != nil || len(teams) != 1 || teams[0].ID != tm.ID {
				t.Fatalf("list teams: %+v %v", teams, err)
			}

			// Virtual key owned by the team.
			in := bifrost.VirtualKeyCreate{Name: "vk1", Description: "d", TeamID: tm.ID,
				Budgets:   []bifrost.BudgetRequest{{MaxLimit: 50, ResetDuration: "1M"}},
				RateLimit: &bifrost.RateLimitRequest{RequestMaxLimit: ptr[int64](60), RequestResetDuration: ptr("1m")},
				ProviderConfigs: []bifrost.ProviderConfigRequest{{Provider: "openai", Weight: ptr(1.0), AllowedModels: []string{"*"},
					KeyIDs: []string{"k1"}, Budgets: []bifrost.BudgetRequest{{MaxLimit: 5, ResetDuration: "1d"}}}}}
			if v2 {
				in.ProviderConfigs[0].BlacklistedModels = []string{"gpt-4o"}
			}
			vk, err := c.CreateVirtualKey(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(vk.Value, "sk-bf-") || vk.TeamID != tm.ID || len(vk.ProviderConfigs) != 1 || len(vk.Budgets) != 1 {
				t.Fatalf("vk %+v", vk)
			}
			pc := vk.ProviderConfigs[0]
			if !reflect.DeepEqual(pc.KeyIDs(), []string{"k1"}) || (v2 && !reflect.DeepEqual(pc.BlacklistedModels, []string{"gpt-4o"})) {
				t.Fatalf("provider config %+v", pc)
			}

			// A description-only update that follows the rules keeps the
			// owner, the provider config (same id, same keys) and budgets.
			u := bifrost.VirtualKeyUpdate{Description: ptr("changed"), ProviderConfigs: &[]bifrost.ProviderConfigRequest{pc.AsUpdate()}}
			u.Owner(vk.TeamID, vk.CustomerID)
			got, err := c.UpdateVirtualKey(ctx, vk.ID, u)
			if err != nil {
				t.Fatal(err)
			}
			if got.Description != "changed" || got.TeamID != tm.ID || len(got.ProviderConfigs) != 1 || got.ProviderConfigs[0].ID != pc.ID ||
				!reflect.DeepEqual(got.ProviderConfigs[0].KeyIDs(), []string{"k1"}) || len(got.ProviderConfigs[0].Budgets) != 1 ||
				got.ProviderConfigs[0].Budgets[0].ID != pc.Budgets[0].ID || len(got.Budgets) != 1 || got.Value != vk.Value {
				t.Fatalf("after a description-only update: %+v", got)
			}
			// Move to the customer, remove the rate limit and budgets.
			u = bifrost.VirtualKeyUpdate{RateLimit: bifrost.RemoveRateLimit(), Budgets: &[]bifrost.BudgetRequest{}}
			u.Owner("", cu.ID)
			if got, err = c.UpdateVirtualKey(ctx, vk.ID, u); err != nil || got.TeamID != "" || got.CustomerID != cu.ID || got.RateLimit != nil || len(got.Budgets) != 0 {
				t.Fatalf("move and removal: %+v %v", got, err)
			}
			// Clear the ownership.
			u = bifrost.VirtualKeyUpdate{}
			u.Owner("", "")
			if got, err = c.UpdateVirtualKey(ctx, vk.ID, u); err != nil || got.TeamID != "" || got.CustomerID != "" {
				t.Fatalf("clear owner: %+v %v", got, err)
			}
			if list, err := c.ListVirtualKeys(ctx); err != nil || len(list) != 1 || list[0].ID != vk.ID || list[0].Value != vk.Value {
				t.Fatalf("list vks: %+v %v", list, err)
			}

			// Rotation: v2 only.
			rot, err := c.RotateVirtualKey(ctx, vk.ID)
			if v2 {
				if err != nil || rot.Value == vk.Value || !strings.HasPrefix(rot.Value, "sk-bf-") {
					t.Fatalf("rotate: %+v %v", rot, err)
				}
				if _, err := c.RotateVirtualKey(ctx, "nope"); !bifrost.IsNotFound(err) {
					t.Errorf("rotate unknown: %v", err)
				}
			} else if err == nil || bifrost.IsNotFound(err) || !strings.Contains(err.Error(), "v2") {
				t.Errorf("rotate on v1.5.1: %v", err)
			}

			// Read-only lists.
			if budgets, err := c.ListBudgets(ctx); err != nil || len(budgets) == 0 {
				t.Errorf("budgets: %v %v", budgets, err)
			}
			if rls, err := c.ListRateLimits(ctx); err != nil || len(rls) == 0 {
				t.Errorf("rate limits: %v %v", rls, err)
			}
			if customers, err := c.ListCustomers(ctx); err != nil || len(customers) != 1 {
				t.Errorf("customers: %v %v", customers, err)
			}

			// Deletes, then 404 everywhere.
			if err := c.DeleteVirtualKey(ctx, vk.ID); err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteTeam(ctx, tm.ID); err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteCustomer(ctx, cu.ID); err != nil {
				t.Fatal(err)
			}
			for name, err := range map[string]error{
				"get vk":    func() error { _, err := c.GetVirtualKey(ctx, vk.ID); return err }(),
				"update vk": func() error { _, err := c.UpdateVirtualKey(ctx, vk.ID, bifrost.VirtualKeyUpdate{}); return err }(),
				"delete vk": c.DeleteVirtualKey(ctx, vk.ID),
				"get team":  func() error { _, err := c.GetTeam(ctx, tm.ID); return err }(),
				"delete tm": c.DeleteTeam(ctx, tm.ID),
				"get cust":  func() error { _, err := c.GetCustomer(ctx, cu.ID); return err }(),
				"delete cu": c.DeleteCustomer(ctx, cu.ID),
				"update cu": func() error { _, err := c.UpdateCustomer(ctx, cu.ID, bifrost.CustomerUpdate{}); return err }(),
				"update tm": func() error { _, err := c.UpdateTeam(ctx, tm.ID, bifrost.TeamUpdate{}); return err }(),
			} {
				if !bifrost.IsNotFound(err) {
					t.Errorf("%s: %v, want a not-found error", name, err)
				}
			}

			// A taken name.
			if _, err := c.CreateVirtualKey(ctx, bifrost.VirtualKeyCreate{Name: "dup"}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.CreateVirtualKey(ctx, bifrost.VirtualKeyCreate{Name: "dup"}); !bifrost.IsNameTaken(err) {
				t.Errorf("duplicate vk name: %v", err)
			}
		})
	}
}

// The virtual key's value never reaches a log line, whatever carries it.
func TestVirtualKeyValueNotLogged(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	_, c := startGov(t, "v2.0.0")
	vk, err := c.CreateVirtualKey(ctx, bifrost.VirtualKeyCreate{Name: "logged", ProviderConfigs: []bifrost.ProviderConfigRequest{{Provider: "openai", KeyIDs: []string{"*"}, AllowedModels: []string{"*"}}}})
	if err != nil {
		t.Fatal(err)
	}
	values := []string{vk.Value}
	if _, err := c.GetVirtualKey(ctx, vk.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListVirtualKeys(ctx); err != nil {
		t.Fatal(err)
	}
	rot, err := c.RotateVirtualKey(ctx, vk.ID)
	if err != nil {
		t.Fatal(err)
	}
	values = append(values, rot.Value)
	u := bifrost.VirtualKeyUpdate{Description: ptr("x")}
	if _, err := c.UpdateVirtualKey(ctx, vk.ID, u); err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	if !strings.Contains(logs, "Bifrost response") {
		t.Fatalf("nothing logged: %s", logs)
	}
	for _, v := range values {
		if strings.Contains(logs, v) || strings.Contains(logs, strings.TrimPrefix(v, "sk-bf-")) {
			t.Errorf("a virtual key value is in the logs: %s", logs)
		}
	}
}

// What a governance handler hides behind a fixed 500 is retried only where
// sending the write again cannot store it twice.
func TestGovernanceHiddenCauseRetries(t *testing.T) {
	ctx := context.Background()
	srv, c := startGov(t, "v1.5.1")
	hidden := func(n int, method, path, msg string) {
		srv.FailNext(n, emulator.Fault{Method: method, PathPrefix: path, Status: http.StatusInternalServerError, Message: msg})
	}

	hidden(2, http.MethodPost, "/api/governance/teams", "failed to create team")
	tm, err := c.CreateTeam(ctx, bifrost.TeamCreate{Name: "t"})
	if err != nil {
		t.Fatalf("team create after 2 hidden 500s: %v", err)
	}
	hidden(2, http.MethodPut, "/api/governance/teams/", "Failed to update team")
	if _, err := c.UpdateTeam(ctx, tm.ID, bifrost.TeamUpdate{Name: ptr("t2")}); err != nil {
		t.Fatalf("team update: %v", err)
	}

	// A repeating cause (a duplicate name on v1.5.1) gives up after
	// max_retries, and says what the message may hide.
	_, err = c.CreateTeam(ctx, bifrost.TeamCreate{Name: "t2"})
	var apiErr *bifrost.APIError
	if !bifrost.IsHiddenCause(err) || !errors.As(err, &apiErr) || apiErr.Attempts != 6 || !strings.Contains(err.Error(), "hides the cause") {
		t.Fatalf("duplicate team: %v", err)
	}

	// Customer creates are never repeated: names are not unique.
	srv.ResetRequests()
	hidden(1, http.MethodPost, "/api/governance/customers", "failed to create customer")
	if _, err := c.CreateCustomer(ctx, bifrost.CustomerCreate{Name: "c"}); !bifrost.IsHiddenCause(err) {
		t.Fatalf("customer create: %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("customer create sent %d times", n)
	}
	// Another handler's message is not taken for this one's.
	hidden(1, http.MethodPut, "/api/governance/customers", "failed to create team")
	cu, err := c.CreateCustomer(ctx, bifrost.CustomerCreate{Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateCustomer(ctx, cu.ID, bifrost.CustomerUpdate{}); err == nil {
		t.Error("a foreign hidden message was retried")
	}
	hidden(3, http.MethodDelete, "/api/governance/customers/", "Failed to delete customer")
	if err := c.DeleteCustomer(ctx, cu.ID); err != nil {
		t.Fatalf("customer delete: %v", err)
	}
	hidden(1, http.MethodDelete, "/api/governance/teams/", "Failed to delete team")
	if err := c.DeleteTeam(ctx, tm.ID); err != nil {
		t.Fatalf("team delete: %v", err)
	}
}

// Under the injected lock of the store, every write of a virtual key (its
// lock answers say so) and every team write goes through.
func TestGovernanceWritesUnderLocks(t *testing.T) {
	ctx := context.Background()
	srv, c := startGov(t, "v1.5.1")
	srv.LockWrites(0.3, 3)
	for i := range 8 {
		name := "n" + string(rune('a'+i))
		tm, err := c.CreateTeam(ctx, bifrost.TeamCreate{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		vk, err := c.CreateVirtualKey(ctx, bifrost.VirtualKeyCreate{Name: name, TeamID: tm.ID})
		if err != nil {
			t.Fatal(err)
		}
		u := bifrost.VirtualKeyUpdate{Description: ptr("d")}
		u.Owner(tm.ID, "")
		if _, err := c.UpdateVirtualKey(ctx, vk.ID, u); err != nil {
			t.Fatal(err)
		}
		if err := c.DeleteVirtualKey(ctx, vk.ID); err != nil {
			t.Fatal(err)
		}
		if err := c.DeleteTeam(ctx, tm.ID); err != nil {
			t.Fatal(err)
		}
	}
	srv.LockWrites(0, 1)
	if st := srv.LockStats(); st.Refused == 0 {
		t.Errorf("no write was refused: %+v", st)
	}
	if vks, _ := c.ListVirtualKeys(ctx); len(vks) != 0 {
		t.Errorf("left behind: %+v", vks)
	}
	if teams, _ := c.ListTeams(ctx); len(teams) != 0 {
		t.Errorf("left behind: %+v", teams)
	}
}

// TestReadVirtualKeyServesAPlanFromOneList: concurrent reads of virtual keys
// cost one list request; a write drops the list; a key missing from the list
// is confirmed with its own GET.
func TestReadVirtualKeyServesAPlanFromOneList(t *testing.T) {
	ctx := context.Background()
	srv, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newClient(t, srv.URL(), 0)
	var ids []string
	for i := range 20 {
		vk, err := c.CreateVirtualKey(ctx, bifrost.VirtualKeyCreate{Name: fmt.Sprintf("plan-%02d", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, vk.ID)
	}
	srv.ResetRequests()
	errs := make(chan error, len(ids))
	for _, id := range ids {
		go func() {
			vk, err := c.ReadVirtualKey(ctx, id)
			if err == nil && vk.ID != id {
				err = fmt.Errorf("read %s for %s", vk.ID, id)
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
		t.Fatalf("%d requests for %d reads, want 1 list", n, len(ids))
	}
	if _, err := c.ReadVirtualKey(ctx, "absent"); !bifrost.IsNotFound(err) {
		t.Fatalf("absent virtual key: %v", err)
	}
	if n := srv.Count(http.MethodGet, "/api/governance/virtual-keys/absent"); n != 1 {
		t.Fatalf("an absent virtual key was not confirmed with a GET (%d)", n)
	}
	desc := "changed"
	if _, err := c.UpdateVirtualKey(ctx, ids[0], bifrost.VirtualKeyUpdate{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	got, err := c.ReadVirtualKey(ctx, ids[0])
	if err != nil || got.Description != desc {
		t.Fatalf("read after write saw description %q (%v): the list was not dropped", got.Description, err)
	}
}
