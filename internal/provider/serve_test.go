package provider

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

type ctxKey struct{}

func TestDetachedKeepsCancellationNotValues(t *testing.T) {
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "request logger"))
	inner := func(ctx context.Context, _ int) (bool, error) {
		if ctx.Value(ctxKey{}) != nil {
			t.Error("the detached context still carries the request's values")
		}
		cancel()
		select {
		case <-ctx.Done():
			return true, nil
		case <-time.After(5 * time.Second):
			return false, nil
		}
	}
	cancelled, err := detached(parent, inner, 0)
	if err != nil || !cancelled {
		t.Fatal("cancelling the request did not cancel the detached call")
	}
}

func TestLogsRequested(t *testing.T) {
	for _, name := range logSettings {
		t.Setenv(name, "")
	}
	if logsRequested() {
		t.Fatal("logs requested with no setting")
	}
	t.Setenv("TF_LOG", "trace")
	if !logsRequested() {
		t.Fatal("TF_LOG=trace not seen")
	}
}

// The served server, with or without logs, answers list resource calls
// (terraform query): wrappers that embed only tfprotov6.ProviderServer hide
// them from tf6server, which then answers "Unimplemented".
func TestServedServerListsResources(t *testing.T) {
	for _, quiet := range []bool{true, false} {
		var s tfprotov6.ProviderServer = served("test", quiet)
		lister, ok := s.(tfprotov6.ListResourceServer)
		if !ok {
			t.Fatalf("quiet=%v: %T does not serve list resources", quiet, s)
		}
		resp, err := lister.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{TypeName: "bifrost_provider_key"})
		if err != nil || resp == nil {
			t.Fatalf("quiet=%v: ValidateListResourceConfig: %v", quiet, err)
		}
	}
}

func TestStopperCancelsCallsInFlight(t *testing.T) {
	s := newStopper()
	before, doneBefore := s.register(context.Background())
	defer doneBefore()
	s.stop()
	select {
	case <-before.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a call in flight was not cancelled by stop")
	}
	after, doneAfter := s.register(context.Background())
	if after.Err() != nil {
		t.Fatal("a call started after stop is cancelled")
	}
	doneAfter()
	if after.Err() == nil {
		t.Fatal("done did not release the call's context")
	}
}

// frameworkRefuses stands for the framework's server in fastPaths: any
// apply that reaches it fails.
type frameworkRefuses struct{ Server }

var errFramework = errors.New("the framework was called")

func (frameworkRefuses) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return nil, errFramework
}

// The server Serve serves creates keys itself once configured, and passes
// the call on before.
func TestFastPathsCreateWithConfiguredClient(t *testing.T) {
	srv, err := emulator.Start(emulator.Options{Providers: []string{"openai"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ctx := context.Background()
	server, err := newServer(New("test"))
	if err != nil {
		t.Fatal(err)
	}
	fast, ok := server.(fastPaths)
	if !ok {
		t.Fatalf("newServer returned a %T", server)
	}
	fast.Server = frameworkRefuses{fast.Server}
	schemas, err := fast.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	value := func(typ tftypes.Type, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
		vals := map[string]tftypes.Value{}
		for name, at := range typ.(tftypes.Object).AttributeTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
		maps.Copy(vals, attrs)
		dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	keyType := schemas.ResourceSchemas["bifrost_provider_key"].ValueType()
	config := value(keyType, map[string]tftypes.Value{
		"provider_name": tftypes.NewValue(tftypes.String, "openai"),
		"name":          tftypes.NewValue(tftypes.String, "fast-create"),
		"value":         tftypes.NewValue(tftypes.String, "sk-fast-0123456789abcdefghij"),
	})
	nullState, err := tfprotov6.NewDynamicValue(keyType, tftypes.NewValue(keyType, nil))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := fast.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "bifrost_provider_key", Config: config, PriorState: &nullState, ProposedNewState: config})
	if err != nil || len(plan.Diagnostics) > 0 {
		t.Fatalf("plan: %v %v", err, plan.Diagnostics)
	}
	apply := func() (*tfprotov6.ApplyResourceChangeResponse, error) {
		return fast.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: "bifrost_provider_key", Config: config, PriorState: &nullState, PlannedState: plan.PlannedState,
		})
	}
	if _, err := apply(); !errors.Is(err, errFramework) {
		t.Fatalf("apply before ConfigureProvider: %v, want the framework's answer", err)
	}
	configured, err := fast.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: value(schemas.Provider.ValueType(), map[string]tftypes.Value{"endpoint": tftypes.NewValue(tftypes.String, srv.URL())}),
	})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, configured.Diagnostics)
	}
	resp, err := apply()
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("apply: %v %v", err, resp.Diagnostics)
	}
	if keys := srv.Keys("openai"); len(keys) != 1 || keys[0].Name != "fast-create" {
		t.Fatalf("stored keys %+v, want the one created", keys)
	}
}
