package provider

import (
	"context"
	"reflect"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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

// The served server, with or without logs, has every method of the
// framework's own server: a protocol capability the framework offers (list
// resources, actions, state stores, whatever comes next) is never hidden
// from tf6server, which would answer "Unimplemented" for it.
func TestServedOffersWhatTheFrameworkOffers(t *testing.T) {
	framework, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	want := reflect.TypeOf(framework)
	for _, quiet := range []bool{true, false} {
		s, err := served("test", quiet)
		if err != nil {
			t.Fatal(err)
		}
		got := reflect.TypeOf(s)
		for i := range want.NumMethod() {
			m := want.Method(i)
			if !m.IsExported() {
				continue
			}
			if _, ok := got.MethodByName(m.Name); !ok {
				t.Errorf("quiet=%v: the served %v lacks %s of the framework's server: add its interface to provider.Server", quiet, got, m.Name)
			}
		}
	}
}

// call makes a per-resource call to server with a request context that
// carries a large value, as the plugin SDK's contexts carry each request's
// loggers, and returns a weak pointer to that value.
func call(t *testing.T, server tfprotov6.ProviderServer) weak.Pointer[[1 << 20]byte] {
	t.Helper()
	payload := new([1 << 20]byte)
	ctx := context.WithValue(context.Background(), ctxKey{}, payload)
	if _, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "bifrost_provider_key"}); err != nil {
		t.Fatal(err)
	}
	return weak.Make(payload)
}

// retained reports whether, after server answered a call, the call's
// context is still reachable while the server is.
func retained(t *testing.T, server tfprotov6.ProviderServer) bool {
	t.Helper()
	w := call(t, server)
	runtime.GC()
	runtime.GC()
	kept := w.Value() != nil
	runtime.KeepAlive(server)
	return kept
}

// The framework keeps every request's context until StopProvider (the defect
// detachedServer works around); the served server does not. When the first
// assertion fails, the framework has fixed the defect: remove detachedServer.
func TestDetachedServerReleasesRequestContexts(t *testing.T) {
	framework, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	if !retained(t, framework) {
		t.Error("the framework's server no longer keeps request contexts: detachedServer can go")
	}
	s, err := served("test", true)
	if err != nil {
		t.Fatal(err)
	}
	if retained(t, s) {
		t.Error("the served server keeps the request's context after the call")
	}
}
