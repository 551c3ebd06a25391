package provider

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/providerkey"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/maximhq/bifrost"

// logSettings are the variables with which a user asks for provider logs.
var logSettings = []string{"TF_LOG", "TF_LOG_PATH", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_ACC_LOG_PATH"}

// logsRequested reports whether any log setting is present.
func logsRequested() bool {
	for _, name := range logSettings {
		if os.Getenv(name) != "" {
			return true
		}
	}
	return false
}

// Serve serves the provider to Terraform until Terraform stops it.
//
// When nobody asked for logs, three costs of plans over thousands of
// resources go away:
//   - the plugin SDK's logging is turned off: by default it formats every
//     line at TRACE for Terraform to parse and discard, about half of the
//     provider's CPU time;
//   - the garbage collector runs less often (see tuneGC);
//   - each per-resource call runs on a context detached from the gRPC
//     request's one (cancelled with it): terraform-plugin-framework v1.19
//     keeps every request's context until the provider stops
//     (proto6server.registerContext), which with the request's loggers is
//     about 0.14 MiB per key.
//
// With logs requested, requests keep their loggers (and the framework
// keeps them), so the GC keeps Go's defaults: a memory limit sized for the
// quiet provider would make it collect without end. The resources' own
// fast paths answer in both cases.
func Serve(version string, debug bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	quiet := !logsRequested()
	if quiet {
		tuneGC()
		SilenceSDKLogs()
	}
	return tf6server.Serve(Address, func() tfprotov6.ProviderServer { return served(version, quiet) }, opts...)
}

// SilenceSDKLogs turns off the plugin SDK's logging in this process, which
// by default formats every line at TRACE for Terraform to parse and discard.
func SilenceSDKLogs() {
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
		_ = os.Setenv(name, "off")
	}
}

// served is the server Serve serves: with quiet (no logs asked for), each
// per-resource call on a detached context.
func served(version string, quiet bool) Server {
	server, err := newServer(New(version))
	if err != nil {
		// The framework validates the provider's definition here: a bug.
		panic(err)
	}
	if quiet {
		return detachedServer{server}
	}
	return server
}

// Server is what the provider serves: the provider protocol and list
// resources. The wrappers of the framework's server embed it, so that they
// pass list resource calls on too.
type Server interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

// NewServer returns a factory of the provider's protocol server: the
// framework's, behind the fast paths of the resources that have them.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	p := New(version)
	return func() (tfprotov6.ProviderServer, error) { return newServer(p) }
}

func newServer(p func() provider.Provider) (Server, error) {
	prov, ok := p().(*bifrostProvider)
	if !ok {
		return nil, fmt.Errorf("the provider is a %T, not a *bifrostProvider", prov)
	}
	server, err := providerserver.NewProtocol6WithError(prov)()
	if err != nil {
		return nil, err
	}
	withLists, ok := server.(Server)
	if !ok {
		return nil, fmt.Errorf("the framework's provider server (%T) does not serve list resources", server)
	}
	return fastPaths{Server: withLists, client: prov.client.Load, stop: newStopper()}, nil
}

// Both wrappers serve list resources (terraform query) like the framework.
var (
	_ Server = fastPaths{}
	_ Server = detachedServer{}
)

// fastPaths answers the calls that a resource can answer without the
// framework, exactly as the framework would (providerkey.Valid,
// providerkey.Plan and, for creates, providerkey.Apply: the calls Terraform
// makes per key), and passes the others on. Calls it answers are absent
// from the framework's own TRACE logs; the protocol's request and response
// logs, and the resource's own logs, still show them.
type fastPaths struct {
	Server
	// client is the configured client (nil before ConfigureProvider).
	client func() *bifrost.Client
	// stop cancels the fast paths' calls in flight on StopProvider, as the
	// framework cancels its own.
	stop *stopper
}

func (s fastPaths) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	if resp, ok := providerkey.Valid(ctx, req); ok {
		return resp, nil
	}
	return s.Server.ValidateResourceConfig(ctx, req)
}

func (s fastPaths) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if resp, ok := providerkey.Plan(req); ok {
		return resp, nil
	}
	return s.Server.PlanResourceChange(ctx, req)
}

func (s fastPaths) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	ctx, done := s.stop.register(ctx)
	defer done()
	if resp, ok := providerkey.Apply(ctx, s.client(), req); ok {
		return resp, nil
	}
	return s.Server.ApplyResourceChange(ctx, req)
}

func (s fastPaths) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.stop.stop()
	return s.Server.StopProvider(ctx, req)
}

// stopper cancels, on stop, the calls registered before it.
type stopper struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
}

func newStopper() *stopper {
	s := &stopper{}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// register returns ctx, also cancelled by the next stop; done releases it.
func (s *stopper) register(ctx context.Context) (context.Context, func()) {
	s.mu.Lock()
	stopped := s.ctx
	s.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	unregister := context.AfterFunc(stopped, cancel)
	return ctx, func() {
		unregister()
		cancel()
	}
}

func (s *stopper) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel()
	s.ctx, s.cancel = context.WithCancel(context.Background())
}

// GC settings of the provider process, unless the user set GOGC or
// GOMEMLIMIT. The framework allocates about 2.5 MB per resource per plan
// and keeps little of it: with Go's default (GOGC=100, a collection each
// time the heap doubles) a plan of thousands of keys spends a quarter of
// its CPU collecting. A larger growth factor, bounded by a soft memory
// limit, trades a few MiB of heap for that.
const (
	gcPercent   = 400
	memoryLimit = 64 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

// detachedServer runs the calls made once per resource on detached contexts.
type detachedServer struct {
	Server
}

// detached calls f on a context that carries nothing of ctx but its
// cancellation.
func detached[Req, Resp any](ctx context.Context, f func(context.Context, Req) (Resp, error), req Req) (Resp, error) {
	c, cancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, cancel)
	defer func() {
		stop()
		cancel()
	}()
	return f(c, req)
}

func (s detachedServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return detached(ctx, s.Server.ValidateResourceConfig, req)
}

func (s detachedServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return detached(ctx, s.Server.UpgradeResourceState, req)
}

func (s detachedServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return detached(ctx, s.Server.ReadResource, req)
}

func (s detachedServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return detached(ctx, s.Server.PlanResourceChange, req)
}

func (s detachedServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return detached(ctx, s.Server.ApplyResourceChange, req)
}

func (s detachedServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return detached(ctx, s.Server.ReadDataSource, req)
}
