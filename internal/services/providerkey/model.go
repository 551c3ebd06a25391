package providerkey

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// keyModel is the Terraform state of a bifrost_provider_key.
type keyModel struct {
	ID                types.String  `tfsdk:"id"`
	ProviderName      types.String  `tfsdk:"provider_name"`
	Name              types.String  `tfsdk:"name"`
	Value             types.String  `tfsdk:"value"`
	ValueWO           types.String  `tfsdk:"value_wo"`
	ValueWOVersion    types.Int64   `tfsdk:"value_wo_version"`
	ValueEnvVar       types.String  `tfsdk:"value_env_var"`
	ValueFromEnv      types.Bool    `tfsdk:"value_from_env"`
	Weight            types.Float64 `tfsdk:"weight"`
	Enabled           types.Bool    `tfsdk:"enabled"`
	UseForBatchAPI    types.Bool    `tfsdk:"use_for_batch_api"`
	Models            types.Set     `tfsdk:"models"`
	BlacklistedModels types.Set     `tfsdk:"blacklisted_models"`
	Aliases           types.Map     `tfsdk:"aliases"`
	AliasConfigs      types.Map     `tfsdk:"alias_configs"`
	UseAnthropic      types.Bool    `tfsdk:"use_anthropic_endpoints"`

	AzureKeyConfig     *azureModel     `tfsdk:"azure_key_config"`
	VertexKeyConfig    *vertexModel    `tfsdk:"vertex_key_config"`
	BedrockKeyConfig   *bedrockModel   `tfsdk:"bedrock_key_config"`
	VLLMKeyConfig      *vllmModel      `tfsdk:"vllm_key_config"`
	OllamaKeyConfig    *urlModel       `tfsdk:"ollama_key_config"`
	SGLKeyConfig       *urlModel       `tfsdk:"sgl_key_config"`
	ReplicateKeyConfig *replicateModel `tfsdk:"replicate_key_config"`
	MantleKeyConfig    *mantleModel    `tfsdk:"bedrock_mantle_key_config"`

	ConfigHash  types.String `tfsdk:"config_hash"`
	Status      types.String `tfsdk:"status"`
	Description types.String `tfsdk:"description"`

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type azureModel struct {
	Endpoint              types.String `tfsdk:"endpoint"`
	APIVersion            types.String `tfsdk:"api_version"`
	ClientID              types.String `tfsdk:"client_id"`
	ClientSecret          types.String `tfsdk:"client_secret"`
	ClientSecretWO        types.String `tfsdk:"client_secret_wo"`
	ClientSecretWOVersion types.Int64  `tfsdk:"client_secret_wo_version"`
	TenantID              types.String `tfsdk:"tenant_id"`
	Scopes                types.List   `tfsdk:"scopes"`
}

type vertexModel struct {
	ProjectID                types.String `tfsdk:"project_id"`
	ProjectNumber            types.String `tfsdk:"project_number"`
	Region                   types.String `tfsdk:"region"`
	AuthCredentials          types.String `tfsdk:"auth_credentials"`
	AuthCredentialsWO        types.String `tfsdk:"auth_credentials_wo"`
	AuthCredentialsWOVersion types.Int64  `tfsdk:"auth_credentials_wo_version"`
	ForceSingleRegion        types.Bool   `tfsdk:"force_single_region"`
}

type bedrockModel struct {
	AccessKey             types.String  `tfsdk:"access_key"`
	AccessKeyWO           types.String  `tfsdk:"access_key_wo"`
	AccessKeyWOVersion    types.Int64   `tfsdk:"access_key_wo_version"`
	SecretKey             types.String  `tfsdk:"secret_key"`
	SecretKeyWO           types.String  `tfsdk:"secret_key_wo"`
	SecretKeyWOVersion    types.Int64   `tfsdk:"secret_key_wo_version"`
	SessionToken          types.String  `tfsdk:"session_token"`
	SessionTokenWO        types.String  `tfsdk:"session_token_wo"`
	SessionTokenWOVersion types.Int64   `tfsdk:"session_token_wo_version"`
	Region                types.String  `tfsdk:"region"`
	ARN                   types.String  `tfsdk:"arn"`
	RoleARN               types.String  `tfsdk:"role_arn"`
	ExternalID            types.String  `tfsdk:"external_id"`
	SessionName           types.String  `tfsdk:"session_name"`
	ProjectID             types.String  `tfsdk:"project_id"`
	BatchS3Config         *batchS3Model `tfsdk:"batch_s3_config"`
}

type mantleModel struct {
	AccessKey             types.String `tfsdk:"access_key"`
	AccessKeyWO           types.String `tfsdk:"access_key_wo"`
	AccessKeyWOVersion    types.Int64  `tfsdk:"access_key_wo_version"`
	SecretKey             types.String `tfsdk:"secret_key"`
	SecretKeyWO           types.String `tfsdk:"secret_key_wo"`
	SecretKeyWOVersion    types.Int64  `tfsdk:"secret_key_wo_version"`
	SessionToken          types.String `tfsdk:"session_token"`
	SessionTokenWO        types.String `tfsdk:"session_token_wo"`
	SessionTokenWOVersion types.Int64  `tfsdk:"session_token_wo_version"`
	Region                types.String `tfsdk:"region"`
	RoleARN               types.String `tfsdk:"role_arn"`
	ExternalID            types.String `tfsdk:"external_id"`
	SessionName           types.String `tfsdk:"session_name"`
	ProjectID             types.String `tfsdk:"project_id"`
}

type batchS3Model struct {
	Buckets []bucketModel `tfsdk:"bucket"`
}

type bucketModel struct {
	BucketName types.String `tfsdk:"bucket_name"`
	Prefix     types.String `tfsdk:"prefix"`
	IsDefault  types.Bool   `tfsdk:"is_default"`
}

type vllmModel struct {
	URL       types.String `tfsdk:"url"`
	ModelName types.String `tfsdk:"model_name"`
}

type urlModel struct {
	URL types.String `tfsdk:"url"`
}

type replicateModel struct {
	UseDeploymentsEndpoint types.Bool `tfsdk:"use_deployments_endpoint"`
}

// identityModel is the resource identity (Terraform ≥ 1.12).
type identityModel struct {
	ProviderName types.String `tfsdk:"provider_name"`
	ID           types.String `tfsdk:"id"`
}

// aliasConfigModel is one rich alias of alias_configs (Bifrost ≥ 2.0).
type aliasConfigModel struct {
	ModelID                types.String `tfsdk:"model_id"`
	ModelName              types.String `tfsdk:"model_name"`
	ModelFamily            types.String `tfsdk:"model_family"`
	Description            types.String `tfsdk:"description"`
	APIVersion             types.String `tfsdk:"api_version"`
	AnthropicVersion       types.String `tfsdk:"anthropic_version"`
	Region                 types.String `tfsdk:"region"`
	Endpoint               types.String `tfsdk:"endpoint"`
	ProjectID              types.String `tfsdk:"project_id"`
	ProjectNumber          types.String `tfsdk:"project_number"`
	InferenceProfileARN    types.String `tfsdk:"inference_profile_arn"`
	ForceSingleRegion      types.Bool   `tfsdk:"force_single_region"`
	UseDeploymentsEndpoint types.Bool   `tfsdk:"use_deployments_endpoint"`
	UseAnthropicEndpoints  types.Bool   `tfsdk:"use_anthropic_endpoints"`
}
