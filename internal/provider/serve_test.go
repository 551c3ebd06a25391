package provider

import (
	"context"
	"testing"
	"time"

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
