// Package provider is the bifrost Terraform provider: its configuration and
// the list of resources and data sources it serves.
package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/bifrostprovider"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/clientconfig"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/customer"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/mcpclient"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/modelconfig"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/plugin"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/pricingoverride"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/providergovernance"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/providerkey"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/routingrule"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/team"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/virtualkey"
)

// Environment variables read when an attribute is not set in configuration.
const (
	EnvEndpoint       = "BIFROST_ENDPOINT"
	EnvUsername       = "BIFROST_USERNAME"
	EnvPassword       = "BIFROST_PASSWORD"
	EnvToken          = "BIFROST_TOKEN"
	EnvSetupToken     = "BIFROST_SETUP_TOKEN"
	EnvInsecure       = "BIFROST_INSECURE_SKIP_VERIFY"
	EnvCACertFile     = "BIFROST_CA_CERT_FILE"
	EnvRequestTimeout = "BIFROST_REQUEST_TIMEOUT"
	EnvMaxRetries     = "BIFROST_MAX_RETRIES"
)

var _ provider.Provider = (*bifrostProvider)(nil)

type bifrostProvider struct {
	version string
}

// New returns a constructor of the provider for the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &bifrostProvider{version: version} }
}

type providerModel struct {
	Endpoint           types.String `tfsdk:"endpoint"`
	Username           types.String `tfsdk:"username"`
	Password           types.String `tfsdk:"password"`
	Token              types.String `tfsdk:"token"`
	SetupToken         types.String `tfsdk:"setup_token"`
	Headers            types.Map    `tfsdk:"headers"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	CACertPEM          types.String `tfsdk:"ca_cert_pem"`
	CACertFile         types.String `tfsdk:"ca_cert_file"`
	RequestTimeout     types.String `tfsdk:"request_timeout"`
	MaxRetries         types.Int64  `tfsdk:"max_retries"`
}

func (p *bifrostProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "bifrost"
	resp.Version = p.version
}

func (p *bifrostProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the configuration of a [Bifrost](https://github.com/maximhq/bifrost) LLM gateway " +
			"through its management API. Every attribute falls back to an environment variable.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Bifrost server, e.g. `https://bifrost.example.com`. " +
					"Env: `" + EnvEndpoint + "`. Default: `" + bifrost.DefaultEndpoint + "`.",
				Optional: true,
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Admin username for HTTP Basic auth (Bifrost dashboard auth). Env: `" + EnvUsername + "`.",
				Optional:            true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Admin password for HTTP Basic auth. Env: `" + EnvPassword + "`.",
				Optional:            true,
				Sensitive:           true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "Bearer token (a session token or an admin API key). Conflicts with `username`/`password`. Env: `" + EnvToken + "`.",
				Optional:            true,
				Sensitive:           true,
			},
			"setup_token": schema.StringAttribute{
				MarkdownDescription: "Sent as `X-Bifrost-Setup-Token`: Bifrost ≥ 2.2.6 requires it on every `/api` call while dashboard auth is off. Env: `" + EnvSetupToken + "`.",
				Optional:            true,
				Sensitive:           true,
			},
			"headers": schema.MapAttribute{
				MarkdownDescription: "Extra HTTP headers sent with every request (e.g. for a proxy in front of Bifrost).",
				ElementType:         types.StringType,
				Optional:            true,
			},
			"insecure_skip_verify": schema.BoolAttribute{
				MarkdownDescription: "Skip TLS certificate verification. Use `ca_cert_pem` or `ca_cert_file` instead where possible. Env: `" + EnvInsecure + "`.",
				Optional:            true,
			},
			"ca_cert_pem": schema.StringAttribute{
				MarkdownDescription: "PEM-encoded CA certificate(s) to trust for the endpoint, besides the system roots.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("ca_cert_file"))},
			},
			"ca_cert_file": schema.StringAttribute{
				MarkdownDescription: "Path of a PEM file of CA certificate(s) to trust for the endpoint. Env: `" + EnvCACertFile + "`.",
				Optional:            true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Timeout of one HTTP request attempt, as a Go duration (`30s`, `2m`). Env: `" + EnvRequestTimeout + "`. Default: `30s`.",
				Optional:            true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request that failed in a retryable way (429, 503, and for idempotent requests 502/504 and connection errors) is sent again, with capped exponential backoff and jitter. Lock answers of Bifrost's config store (`database is locked`) are retried until the operation's timeout instead. Env: `" + EnvMaxRetries + "`. Default: `5`.",
				Optional:            true,
			},
		},
	}
}

func (p *bifrostProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"endpoint": m.Endpoint, "username": m.Username, "password": m.Password, "token": m.Token,
		"setup_token": m.SetupToken, "headers": m.Headers, "insecure_skip_verify": m.InsecureSkipVerify,
		"ca_cert_pem": m.CACertPEM, "ca_cert_file": m.CACertFile, "request_timeout": m.RequestTimeout,
		"max_retries": m.MaxRetries,
	} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider configuration value",
				fmt.Sprintf("The provider cannot be configured because %q is not known until apply. "+
					"Set it to a value known at plan time, or use the environment variable instead.", name))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	cfg := bifrost.Config{
		Endpoint:   stringOrEnv(m.Endpoint, EnvEndpoint, bifrost.DefaultEndpoint),
		Username:   stringOrEnv(m.Username, EnvUsername, ""),
		Password:   stringOrEnv(m.Password, EnvPassword, ""),
		Token:      stringOrEnv(m.Token, EnvToken, ""),
		SetupToken: stringOrEnv(m.SetupToken, EnvSetupToken, ""),
		UserAgent:  "terraform-provider-bifrost/" + p.version,
		MaxRetries: bifrost.DefaultMaxRetries,
	}
	endpoint, err := bifrost.ParseEndpoint(cfg.Endpoint)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid Bifrost endpoint", err.Error())
		return
	}
	if cfg.Token != "" && (cfg.Username != "" || cfg.Password != "") {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Conflicting authentication settings",
			"Both a bearer token and username/password are set (in configuration or in "+EnvToken+"/"+EnvUsername+"/"+EnvPassword+"). Use one authentication mode.")
		return
	}
	if (cfg.Username == "") != (cfg.Password == "") {
		resp.Diagnostics.AddAttributeError(path.Root("username"), "Incomplete basic authentication",
			"HTTP Basic authentication needs both username and password.")
		return
	}
	if endpoint.Scheme == "http" && (cfg.Password != "" || cfg.Token != "" || cfg.SetupToken != "") && !isLoopback(endpoint.Hostname()) {
		resp.Diagnostics.AddAttributeWarning(path.Root("endpoint"), "Credentials sent over plain HTTP",
			fmt.Sprintf("The endpoint %s is not a loopback address and does not use https: the credentials will cross the network unencrypted.", endpoint.Redacted()))
	}
	if !m.Headers.IsNull() {
		cfg.Headers = map[string]string{}
		resp.Diagnostics.Append(m.Headers.ElementsAs(ctx, &cfg.Headers, false)...)
	}

	if timeout := stringOrEnv(m.RequestTimeout, EnvRequestTimeout, ""); timeout != "" {
		d, err := time.ParseDuration(timeout)
		if err != nil || d <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout",
				fmt.Sprintf("%q is not a positive duration such as \"30s\" or \"2m\".", timeout))
		}
		cfg.RequestTimeout = d
	}
	switch {
	case !m.MaxRetries.IsNull():
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
	case os.Getenv(EnvMaxRetries) != "":
		n, err := strconv.Atoi(os.Getenv(EnvMaxRetries))
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid max_retries",
				fmt.Sprintf("%s=%q is not a whole number.", EnvMaxRetries, os.Getenv(EnvMaxRetries)))
		}
		cfg.MaxRetries = n
	}
	if cfg.MaxRetries < 0 || cfg.MaxRetries > 100 {
		resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid max_retries",
			fmt.Sprintf("max_retries is %d; it must be between 0 and 100.", cfg.MaxRetries))
	}

	tlsCfg, diagErr := tlsConfig(m)
	if diagErr != "" {
		resp.Diagnostics.AddAttributeError(path.Root("ca_cert_pem"), "Invalid CA certificate", diagErr)
	}
	cfg.TLSConfig = tlsCfg
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := bifrost.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the Bifrost client", err.Error())
		return
	}
	tflog.Debug(ctx, "Configured the Bifrost client", map[string]any{"endpoint": client.Endpoint(), "max_retries": cfg.MaxRetries})
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.ListResourceData = client
	resp.EphemeralResourceData = client
}

func tlsConfig(m providerModel) (*tls.Config, string) {
	insecure := m.InsecureSkipVerify.ValueBool()
	if m.InsecureSkipVerify.IsNull() {
		insecure, _ = strconv.ParseBool(os.Getenv(EnvInsecure))
	}
	pem := []byte(m.CACertPEM.ValueString())
	if file := stringOrEnv(m.CACertFile, EnvCACertFile, ""); file != "" && len(pem) == 0 {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Sprintf("Cannot read ca_cert_file %q: %s", file, err)
		}
		pem = b
	}
	if !insecure && len(pem) == 0 {
		return nil, ""
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure} //nolint:gosec // opt-in by the user
	if len(pem) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, "No PEM-encoded certificate could be read from ca_cert_pem/ca_cert_file."
		}
		cfg.RootCAs = pool
	}
	return cfg, ""
}

func stringOrEnv(v types.String, env, def string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	if e, ok := os.LookupEnv(env); ok && e != "" {
		return e
	}
	return def
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (p *bifrostProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		providerkey.NewResource,
		bifrostprovider.NewResource,
		team.NewResource,
		mcpclient.NewResource,
		customer.NewResource,
		modelconfig.NewResource, providergovernance.NewResource,
		pricingoverride.NewResource,
		plugin.NewResource,
		virtualkey.NewResource,
		routingrule.NewResource,
		clientconfig.NewResource,
	}
}

func (p *bifrostProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		providerkey.NewDataSource, providerkey.NewKeysDataSource,
		bifrostprovider.NewDataSource,
		bifrostprovider.NewProvidersDataSource,
		team.NewDataSource, team.NewTeamsDataSource,
		mcpclient.NewClientsDataSource,
		customer.NewDataSource, customer.NewCustomersDataSource,
		modelconfig.NewDataSource, modelconfig.NewModelConfigsDataSource, providergovernance.NewDataSource,
		pricingoverride.NewDataSource, pricingoverride.NewOverridesDataSource,
		plugin.NewDataSource, plugin.NewPluginsDataSource,
		virtualkey.NewDataSource, virtualkey.NewVirtualKeysDataSource,
		routingrule.NewDataSource, routingrule.NewRoutingRulesDataSource,
		clientconfig.NewDataSource,
	}
}

var _ provider.ProviderWithEphemeralResources = (*bifrostProvider)(nil)

// EphemeralResources are the ephemeral resources (Terraform ≥ 1.10).
func (p *bifrostProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		virtualkey.NewEphemeralResource,
	}
}

var _ provider.ProviderWithListResources = (*bifrostProvider)(nil)

// ListResources are the list resources of `terraform query` (Terraform ≥ 1.14).
func (p *bifrostProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		providerkey.NewListResource,
		team.NewListResource,
		customer.NewListResource,
		virtualkey.NewListResource,
		routingrule.NewListResource,
	}
}
