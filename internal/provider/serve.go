package provider

import (
	"context"
	"fmt"
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

// Serve serves terraform-plugin-framework's server of the provider to
// Terraform until Terraform stops it. When nobody asked for logs, the plugin
// SDK's logging is off (by default it formats every line at TRACE for
// Terraform to parse and discard) and the per-resource calls run on
// detached contexts (see detachedServer).
func Serve(version string, debug bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	quiet := !logsRequested()
	if quiet {
		SilenceSDKLogs()
	}
	server, err := served(version, quiet)
	if err != nil {
		return err
	}
	return tf6server.Serve(Address, func() tfprotov6.ProviderServer { return server }, opts...)
}

// SilenceSDKLogs turns off the plugin SDK's logging in this process.
func SilenceSDKLogs() {
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
		_ = os.Setenv(name, "off")
	}
}

// NewServer returns a factory of the provider's protocol server, as Serve
// serves it in this process's environment.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return served(version, !logsRequested()) }
}

// served is the framework's server of the provider; with quiet, behind
// detachedServer.
func served(version string, quiet bool) (Server, error) {
	server, err := providerserver.NewProtocol6WithError(New(version)())()
	if err != nil {
		return nil, err
	}
	full, ok := server.(Server)
	if !ok {
		return nil, fmt.Errorf("terraform-plugin-framework's server (%T) does not implement every interface of provider.Server", server)
	}
	if quiet {
		return detachedServer{full}, nil
	}
	return full, nil
}

// Server is every protocol interface terraform-plugin-framework's server
// implements: a wrapper that embeds it passes every call on, so no optional
// capability (list resources, actions, state stores) is hidden from
// tf6server. TestServedOffersWhatTheFrameworkOffers keeps it complete.
type Server interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// detachedServer works around a defect of terraform-plugin-framework v1.19:
// its server keeps a cancel function, and with it the context, of every
// request until StopProvider (proto6server.Server.registerContext), so each
// request's loggers and values stay reachable for the life of the
// process. The per-resource calls, which Terraform makes once per resource,
// run on a context that carries only the request's cancellation.
// TestDetachedServerReleasesRequestContexts shows the defect and the fix.
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
