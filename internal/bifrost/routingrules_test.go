package bifrost_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The rule create and update bodies the client writes are the recorded ones.
func TestRoutingRuleBodiesMatchRecordings(t *testing.T) {
	ex := loadExchanges(t, v151Exchanges)
	for _, tc := range []struct {
		note string
		in   any
	}{
		{"create routing rule", bifrost.RoutingRuleCreate{Name: "r1", CelExpression: "model == 'gpt-4o'",
			Targets: []bifrost.RoutingTarget{{Provider: "openai", Model: "gpt-4o-mini", Weight: 1}}}},
		{"create routing rule same name other priority", bifrost.RoutingRuleCreate{Name: "r1", Priority: 5, CelExpression: "true",
			Targets: []bifrost.RoutingTarget{{Provider: "openai", Weight: 1}}}},
		{"create routing rule team scope unknown id (accepted in 1.5.1?)", bifrost.RoutingRuleCreate{Name: "r6", Priority: 10,
			Scope: "team", ScopeID: "nope", CelExpression: "true", Targets: []bifrost.RoutingTarget{{Weight: 1}}}},
		{"update routing rule partial", bifrost.RoutingRuleUpdate{Enabled: ptr(false)}},
	} {
		rec, ok := ex[tc.note]
		if !ok {
			t.Fatalf("no exchange %q", tc.note)
		}
		got, err := json.Marshal(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, tc.note, got, rec.Request)
	}
	// Clearing the fallbacks sends [], a priority of 0 is sent on update.
	b, _ := json.Marshal(bifrost.RoutingRuleUpdate{Fallbacks: &[]string{}, Priority: ptr[int64](0)})
	sameJSON(t, "clear", b, []byte(`{"fallbacks":[],"priority":0}`))
}

// The recorded answers decode, on both versions, and the recorded priority
// collisions are recognised.
func TestRoutingRuleResponsesDecode(t *testing.T) {
	for _, file := range []string{v151Exchanges, v2Exchanges} {
		ex := loadExchanges(t, file)
		var env struct {
			Rule bifrost.RoutingRule `json:"rule"`
		}
		if err := json.Unmarshal([]byte(ex["create routing rule"].ResponseRaw), &env); err != nil {
			t.Fatal(file, err)
		}
		r := env.Rule
		if r.ID == "" || r.Name != "r1" || !r.Enabled || r.CelExpression != "model == 'gpt-4o'" || r.Scope != "global" || r.ScopeID != nil ||
			r.Priority != 0 || len(r.Targets) != 1 || r.Targets[0] != (bifrost.RoutingTarget{Provider: "openai", Model: "gpt-4o-mini", Weight: 1}) {
			t.Errorf("%s: rule decoded as %+v", file, r)
		}
		if err := json.Unmarshal([]byte(ex["get routing rule"].ResponseRaw), &env); err != nil || env.Rule.ID != r.ID {
			t.Errorf("%s: get decoded as %+v (%v)", file, env.Rule, err)
		}
		collision := ex["create routing rule same priority"]
		if collision.Status != http.StatusInternalServerError {
			t.Fatalf("%s: collision recorded as %d", file, collision.Status)
		}
		var e struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		_ = json.Unmarshal([]byte(collision.ResponseRaw), &e)
		p, ok := bifrost.IsPriorityTaken(&bifrost.APIError{StatusCode: 500, Message: e.Error.Message})
		if !ok || p != 0 {
			t.Errorf("%s: %q not recognised as a priority collision", file, e.Error.Message)
		}
	}
	if _, ok := bifrost.IsPriorityTaken(&bifrost.APIError{StatusCode: 400, Message: "target weights must sum to 1, got 0.5000"}); ok {
		t.Error("a 400 recognised as a priority collision")
	}
}

// The client's calls against the emulator of each version: create, get,
// list, partial update, the collision on create and on update, delete, and
// 404 after delete.
func TestRoutingRuleRoundTrip(t *testing.T) {
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			token := ""
			if strings.HasPrefix(version, "v2.") {
				token = "routing-setup-token-0123456789"
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
			team, err := c.CreateTeam(ctx, bifrost.TeamCreate{Name: "platform"})
			if err != nil {
				t.Fatal(err)
			}
			r1, err := c.CreateRoutingRule(ctx, bifrost.RoutingRuleCreate{
				Name: "split", Description: "d", CelExpression: "model == 'gpt-4o'", Scope: "team", ScopeID: team.ID, Priority: 3,
				Targets:   []bifrost.RoutingTarget{{Provider: "openai", Model: "gpt-4o", Weight: 0.8}, {Provider: "azure", Weight: 0.2}},
				Fallbacks: []string{"openai/gpt-4o-mini"},
			})
			if err != nil {
				t.Fatal(err)
			}
			if r1.ScopeIDValue() != team.ID || r1.Priority != 3 || len(r1.Fallbacks) != 1 || !r1.Enabled || r1.Description != "d" {
				t.Errorf("created %+v", r1)
			}
			r2, err := c.CreateRoutingRule(ctx, bifrost.RoutingRuleCreate{Name: "other", CelExpression: "true", Scope: "team", ScopeID: team.ID,
				Priority: 4, Targets: []bifrost.RoutingTarget{{Weight: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.CreateRoutingRule(ctx, bifrost.RoutingRuleCreate{Name: "third", CelExpression: "true", Scope: "team", ScopeID: team.ID,
				Priority: 3, Targets: []bifrost.RoutingTarget{{Weight: 1}}})
			if p, ok := bifrost.IsPriorityTaken(err); !ok || p != 3 {
				t.Errorf("create at a taken priority: %v", err)
			}
			_, err = c.UpdateRoutingRule(ctx, r2.ID, bifrost.RoutingRuleUpdate{Priority: ptr[int64](3)})
			if p, ok := bifrost.IsPriorityTaken(err); !ok || p != 3 {
				t.Errorf("update to a taken priority: %v", err)
			}
			got, err := c.UpdateRoutingRule(ctx, r1.ID, bifrost.RoutingRuleUpdate{Fallbacks: &[]string{}, Scope: ptr("global"), Enabled: ptr(false)})
			if err != nil {
				t.Fatal(err)
			}
			if got.Scope != "global" || got.ScopeID != nil || got.Fallbacks != nil || got.Enabled || got.Name != "split" || len(got.Targets) != 2 {
				t.Errorf("updated %+v", got)
			}
			all, err := c.ListRoutingRules(ctx)
			if err != nil || len(all) != 2 {
				t.Fatalf("list: %+v %v", all, err)
			}
			if err := c.DeleteRoutingRule(ctx, r1.ID); err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteRoutingRule(ctx, r1.ID); !bifrost.IsNotFound(err) {
				t.Errorf("second delete: %v", err)
			}
			if _, err := c.GetRoutingRule(ctx, r1.ID); !bifrost.IsNotFound(err) {
				t.Errorf("get after delete: %v", err)
			}
		})
	}
}
