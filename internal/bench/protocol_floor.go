package bench

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/provider"
)

// envServeNullProvider, set on the Terraform command, makes the executable
// that Terraform starts as the provider serve the null provider instead.
const envServeNullProvider = "BIFROST_BENCH_NULL_PROVIDER"

// ServeNullProviderIfAsked serves the null provider when this process was
// started as one (Terraform, with envServeNullProvider set), and reports
// whether it did.
//
// The null provider is the third floor, the protocol floor: the provider's
// schema served over the plugin protocol with nothing behind it. Each call
// answers the least Terraform accepts (plans are the proposed new states,
// applies store the plans, reads return the state): what Terraform costs
// with any external provider of this schema (process start, gRPC, msgpack,
// its checks of every answer), which terraform_data, built into Terraform,
// does not pay.
func ServeNullProviderIfAsked() bool {
	if os.Getenv(envServeNullProvider) == "" {
		return false
	}
	// As the provider does when nobody asked for logs.
	provider.SilenceSDKLogs()
	np, err := newNullProvider(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "bifrost-bench null provider:", err)
		os.Exit(1)
	}
	if err := tf6server.Serve(provider.Address, func() tfprotov6.ProviderServer { return np }); err != nil {
		fmt.Fprintln(os.Stderr, "bifrost-bench null provider:", err)
		os.Exit(1)
	}
	return true
}

// nullProvider implements the calls Terraform makes in the benchmark's
// phases; the embedded nil interface makes any other call panic.
type nullProvider struct {
	tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

// newNullProvider takes the real provider's schema (once per process, as
// Terraform asks for it once per process).
func newNullProvider(ctx context.Context) (*nullProvider, error) {
	server, err := provider.NewServer("bench")()
	if err != nil {
		return nil, err
	}
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	return &nullProvider{schema: schema}, nil
}

func (p *nullProvider) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp := &tfprotov6.GetMetadataResponse{ServerCapabilities: p.schema.ServerCapabilities}
	for name := range p.schema.ResourceSchemas {
		resp.Resources = append(resp.Resources, tfprotov6.ResourceMetadata{TypeName: name})
	}
	for name := range p.schema.DataSourceSchemas {
		resp.DataSources = append(resp.DataSources, tfprotov6.DataSourceMetadata{TypeName: name})
	}
	return resp, nil
}

func (p *nullProvider) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return p.schema, nil
}

func (p *nullProvider) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{}, nil
}

func (p *nullProvider) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (p *nullProvider) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (p *nullProvider) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

func (p *nullProvider) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

func (p *nullProvider) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	s, ok := p.schema.ResourceSchemas[req.TypeName]
	if !ok {
		return nil, fmt.Errorf("no resource %s", req.TypeName)
	}
	typ := s.ValueType()
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return nil, err
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

func (p *nullProvider) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, NewIdentity: req.CurrentIdentity}, nil
}

func (p *nullProvider) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: req.ProposedNewState, PlannedPrivate: req.PriorPrivate}, nil
}

func (p *nullProvider) ApplyResourceChange(_ context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return &tfprotov6.ApplyResourceChangeResponse{NewState: req.PlannedState, Private: req.PlannedPrivate}, nil
}
