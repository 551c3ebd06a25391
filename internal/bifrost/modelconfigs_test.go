package bifrost_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// The model config and provider governance bodies the client writes are the
// ones the real servers were sent in the recordings, and the recorded
// answers decode to what they say.
func TestModelConfigWireMatchesRecordings(t *testing.T) {
	for _, file := range []string{v151Exchanges, v2Exchanges} {
		ex := loadExchanges(t, file)
		create := ex["create model config"]
		got, _ := json.Marshal(bifrost.ModelConfigCreate{
			ModelName: "gpt-4o", Provider: ptr("openai"),
			Budget:    &bifrost.BudgetRequest{MaxLimit: 20, ResetDuration: "1w"},
			RateLimit: &bifrost.RateLimitRequest{RequestMaxLimit: ptr[int64](10), RequestResetDuration: ptr("1m")},
		})
		sameJSON(t, file+": create", got, create.Request)
		rm, _ := json.Marshal(bifrost.ModelConfigUpdate{Budget: &bifrost.BudgetPatch{}})
		sameJSON(t, file+": remove budget", rm, ex["update model config remove budget"].Request)
		pg, _ := json.Marshal(bifrost.ProviderGovernanceUpdate{
			Budget:    &bifrost.BudgetPatch{MaxLimit: ptr(100.0), ResetDuration: ptr("1M")},
			RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: ptr[int64](1000000), TokenResetDuration: ptr("1d")},
		})
		sameJSON(t, file+": provider governance", pg, ex["put provider governance"].Request)

		var env struct {
			ModelConfig bifrost.ModelConfig `json:"model_config"`
		}
		if err := json.Unmarshal([]byte(create.ResponseRaw), &env); err != nil {
			t.Fatal(err)
		}
		mc := env.ModelConfig
		if mc.ID == "" || mc.ModelName != "gpt-4o" || mc.ProviderName() != "openai" || !mc.IsGlobal() || mc.RateLimit == nil || *mc.RateLimit.RequestMaxLimit != 10 {
			t.Errorf("%s: model config %+v", file, mc)
		}
		var list struct {
			Providers []bifrost.ProviderGovernance `json:"providers"`
		}
		if err := json.Unmarshal([]byte(ex["list provider governance"].ResponseRaw), &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Providers) != 1 || list.Providers[0].Provider != "openai" || len(list.Providers[0].AllBudgets()) != 1 ||
			list.Providers[0].AllBudgets()[0].MaxLimit != 100 || *list.Providers[0].RateLimit.TokenMaxLimit != 1000000 {
			t.Errorf("%s: provider governance %+v", file, list.Providers)
		}
	}
}

// Model configs and provider governance against the emulator: the
// natural key's 409, the update rules, 404s and the list.
func TestModelConfigAndProviderGovernanceRoundTrip(t *testing.T) {
	for _, version := range []string{"v1.5.1", "v2.0.0"} {
		t.Run(version, func(t *testing.T) {
			v2 := version != "v1.5.1"
			ctx := context.Background()
			_, c := startGov(t, version)
			in := bifrost.ModelConfigCreate{ModelName: "gpt-4o", Provider: ptr("openai"),
				RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: ptr[int64](5), TokenResetDuration: ptr("1h")}}
			budget := bifrost.BudgetRequest{MaxLimit: 20, ResetDuration: "1w"}
			if v2 {
				in.Budgets = []bifrost.BudgetRequest{budget}
			} else {
				in.Budget = &budget
			}
			mc, err := c.CreateModelConfig(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if b := mc.AllBudgets(); len(b) != 1 || b[0].MaxLimit != 20 {
				t.Errorf("created budgets %+v", b)
			}
			if _, err := c.CreateModelConfig(ctx, bifrost.ModelConfigCreate{ModelName: "gpt-4o", Provider: ptr("openai")}); !bifrost.IsConflict(err) {
				t.Errorf("duplicate create: %v, want a 409", err)
			}
			// The rate limit is replaced as a whole; the budget removed.
			upd := bifrost.ModelConfigUpdate{RateLimit: &bifrost.RateLimitRequest{RequestMaxLimit: ptr[int64](7), RequestResetDuration: ptr("1m")}}
			if v2 {
				upd.Budgets = &[]bifrost.BudgetRequest{}
			} else {
				upd.Budget = &bifrost.BudgetPatch{}
			}
			mc, err = c.UpdateModelConfig(ctx, mc.ID, upd)
			if err != nil {
				t.Fatal(err)
			}
			if len(mc.AllBudgets()) != 0 || mc.RateLimit.TokenMaxLimit != nil || *mc.RateLimit.RequestMaxLimit != 7 {
				t.Errorf("updated %+v", mc)
			}
			all, err := c.ListModelConfigs(ctx)
			if err != nil || len(all) != 1 || all[0].ID != mc.ID {
				t.Errorf("list %+v %v", all, err)
			}
			if err := c.DeleteModelConfig(ctx, mc.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetModelConfig(ctx, mc.ID); !bifrost.IsNotFound(err) {
				t.Errorf("get after delete: %v", err)
			}
			if err := c.DeleteModelConfig(ctx, mc.ID); !bifrost.IsNotFound(err) {
				t.Errorf("second delete: %v", err)
			}

			// Provider governance.
			if got, err := c.GetProviderGovernance(ctx, "openai"); err != nil || got != nil {
				t.Errorf("before any: %+v %v", got, err)
			}
			pu := bifrost.ProviderGovernanceUpdate{RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: ptr[int64](1000), TokenResetDuration: ptr("1d")}}
			if v2 {
				pu.Budgets = &[]bifrost.BudgetRequest{{MaxLimit: 100, ResetDuration: "1M"}}
			} else {
				pu.Budget = &bifrost.BudgetPatch{MaxLimit: ptr(100.0), ResetDuration: ptr("1M")}
			}
			pg, err := c.PutProviderGovernance(ctx, "openai", pu)
			if err != nil {
				t.Fatal(err)
			}
			if pg.Provider != "openai" || len(pg.AllBudgets()) != 1 || *pg.RateLimit.TokenMaxLimit != 1000 {
				t.Errorf("put %+v", pg)
			}
			if got, err := c.GetProviderGovernance(ctx, "openai"); err != nil || got == nil || len(got.AllBudgets()) != 1 {
				t.Errorf("read back %+v %v", got, err)
			}
			if _, err := c.PutProviderGovernance(ctx, "mistral", pu); !bifrost.IsProviderNotFound(err) {
				t.Errorf("unknown provider: %v", err)
			}
			if v2 {
				if models, _ := c.ListModelConfigs(ctx); len(models) != 1 || models[0].ModelName != bifrost.ModelConfigAllModels {
					t.Errorf("v2 keeps provider governance as a model config \"*\": %+v", models)
				}
			}
			for i := 0; i < 2; i++ {
				if err := c.DeleteProviderGovernance(ctx, "openai"); err != nil {
					t.Errorf("delete %d: %v", i, err)
				}
			}
			if got, err := c.GetProviderGovernance(ctx, "openai"); err != nil || got != nil {
				t.Errorf("after delete: %+v %v", got, err)
			}
			err = c.DeleteProviderGovernance(ctx, "mistral")
			if v2 && err != nil || !v2 && !bifrost.IsNotFound(err) {
				t.Errorf("delete of an unknown provider: %v", err)
			}
		})
	}
}
