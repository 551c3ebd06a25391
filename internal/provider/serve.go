package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
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
// When nobody asked for logs, two costs of plans over thousands of
// resources go away:
//   - the plugin SDK's logging is turned off: by default it formats every
//     line at TRACE for Terraform to parse and discard, about half of the
//     provider's CPU time;
//   - each per-resource call runs on a context detached from the gRPC
//     request's one (cancelled with it): terraform-plugin-framework v1.19
//     keeps every request's context until the provider stops
//     (proto6server.registerContext), which with the request's loggers is
//     about 0.14 MiB per key.
//
// With logs requested, requests keep their loggers and Serve behaves like
// providerserver.Serve.
func Serve(version string, debug bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	quiet := !logsRequested()
	if quiet {
		for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
			_ = os.Setenv(name, "off")
		}
	}
	return tf6server.Serve(Address, func() tfprotov6.ProviderServer {
		server, _ := providerserver.NewProtocol6WithError(New(version)())()
		if quiet {
			return detachedServer{server}
		}
		return server
	}, opts...)
}

// detachedServer runs the calls made once per resource on detached contexts.
type detachedServer struct {
	tfprotov6.ProviderServer
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
	return detached(ctx, s.ProviderServer.ValidateResourceConfig, req)
}

func (s detachedServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return detached(ctx, s.ProviderServer.UpgradeResourceState, req)
}

func (s detachedServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return detached(ctx, s.ProviderServer.ReadResource, req)
}

func (s detachedServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return detached(ctx, s.ProviderServer.PlanResourceChange, req)
}

func (s detachedServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return detached(ctx, s.ProviderServer.ApplyResourceChange, req)
}

func (s detachedServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return detached(ctx, s.ProviderServer.ReadDataSource, req)
}
