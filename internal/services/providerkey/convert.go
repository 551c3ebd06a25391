package providerkey

import (
	"context"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalue"
)

// This file is the one place where Terraform models and Bifrost's wire
// types meet.

// expandKey builds the key to send from the planned model. value is the
// key value to write (from value, or from value_wo in the configuration).
// It refuses to send anything that looks like one of Bifrost's masks:
// Bifrost v1.5 would store a mask that is not exactly the current one as the
// secret itself.
func expandKey(ctx context.Context, m keyModel, value string) (bifrost.Key, diag.Diagnostics) {
	var diags diag.Diagnostics
	k := bifrost.Key{
		ID:             m.ID.ValueString(),
		Name:           m.Name.ValueString(),
		Value:          bifrost.Literal(value),
		Weight:         m.Weight.ValueFloat64(),
		Enabled:        m.Enabled.ValueBoolPointer(),
		UseForBatchAPI: m.UseForBatchAPI.ValueBool(),
		// Sent only when true: servers before v2 do not know it, and v2
		// stores false when it is left out.
		UseAnthropicEndpoints: trueOrNil(m.UseAnthropic),
	}
	diags.Append(m.Models.ElementsAs(ctx, &k.Models, false)...)
	diags.Append(m.BlacklistedModels.ElementsAs(ctx, &k.BlacklistedModels, false)...)
	if !m.Aliases.IsNull() {
		diags.Append(m.Aliases.ElementsAs(ctx, &k.Aliases, false)...)
	}
	if !m.AliasConfigs.IsNull() {
		var rich map[string]aliasConfigModel
		diags.Append(m.AliasConfigs.ElementsAs(ctx, &rich, false)...)
		k.AliasConfigs = make(map[string]bifrost.AliasConfig, len(rich))
		for name, a := range rich {
			k.AliasConfigs[name] = bifrost.AliasConfig{
				ModelID: a.ModelID.ValueString(), ModelName: a.ModelName.ValueString(), ModelFamily: a.ModelFamily.ValueString(),
				Description: a.Description.ValueString(), APIVersion: a.APIVersion.ValueString(), AnthropicVersion: a.AnthropicVersion.ValueString(),
				Region: secret.Expand(a.Region), Endpoint: secret.Expand(a.Endpoint), ProjectID: secret.Expand(a.ProjectID),
				ProjectNumber: secret.Expand(a.ProjectNumber), InferenceProfileARN: secret.Expand(a.InferenceProfileARN),
				ForceSingleRegion: a.ForceSingleRegion.ValueBoolPointer(), UseDeploymentsEndpoint: a.UseDeploymentsEndpoint.ValueBoolPointer(),
				UseAnthropicEndpoints: a.UseAnthropicEndpoints.ValueBoolPointer(),
			}
		}
	}
	if c := m.AzureKeyConfig; c != nil {
		k.AzureKeyConfig = &bifrost.AzureKeyConfig{
			Endpoint: deref(secret.Expand(c.Endpoint)), APIVersion: secret.Expand(c.APIVersion),
			ClientID: secret.Expand(c.ClientID), ClientSecret: secret.Expand(c.ClientSecret), TenantID: secret.Expand(c.TenantID),
		}
		if !c.Scopes.IsNull() {
			diags.Append(c.Scopes.ElementsAs(ctx, &k.AzureKeyConfig.Scopes, false)...)
		}
	}
	if c := m.VertexKeyConfig; c != nil {
		k.VertexKeyConfig = &bifrost.VertexKeyConfig{
			ProjectID: deref(secret.Expand(c.ProjectID)), ProjectNumber: deref(secret.Expand(c.ProjectNumber)),
			Region: deref(secret.Expand(c.Region)), AuthCredentials: deref(secret.Expand(c.AuthCredentials)),
			ForceSingleRegion: c.ForceSingleRegion.ValueBool(),
		}
	}
	if c := m.BedrockKeyConfig; c != nil {
		k.BedrockKeyConfig = &bifrost.BedrockKeyConfig{
			AccessKey: deref(secret.Expand(c.AccessKey)), SecretKey: deref(secret.Expand(c.SecretKey)),
			SessionToken: secret.Expand(c.SessionToken), Region: secret.Expand(c.Region), ARN: secret.Expand(c.ARN),
			RoleARN: secret.Expand(c.RoleARN), ExternalID: secret.Expand(c.ExternalID), SessionName: secret.Expand(c.SessionName),
			ProjectID: secret.Expand(c.ProjectID),
		}
		if b := c.BatchS3Config; b != nil {
			k.BedrockKeyConfig.BatchS3Config = &bifrost.BatchS3Config{Buckets: []bifrost.S3Bucket{}}
			for _, bk := range b.Buckets {
				k.BedrockKeyConfig.BatchS3Config.Buckets = append(k.BedrockKeyConfig.BatchS3Config.Buckets, bifrost.S3Bucket{
					BucketName: bk.BucketName.ValueString(), Prefix: bk.Prefix.ValueString(), IsDefault: bk.IsDefault.ValueBool(),
				})
			}
		}
	}
	if c := m.VLLMKeyConfig; c != nil {
		k.VLLMKeyConfig = &bifrost.VLLMKeyConfig{URL: deref(secret.Expand(c.URL)), ModelName: c.ModelName.ValueString()}
	}
	if c := m.OllamaKeyConfig; c != nil {
		k.OllamaKeyConfig = &bifrost.URLKeyConfig{URL: deref(secret.Expand(c.URL))}
	}
	if c := m.SGLKeyConfig; c != nil {
		k.SGLKeyConfig = &bifrost.URLKeyConfig{URL: deref(secret.Expand(c.URL))}
	}
	if c := m.MantleKeyConfig; c != nil {
		k.BedrockMantleKeyConfig = &bifrost.BedrockMantleKeyConfig{
			AccessKey: deref(secret.Expand(c.AccessKey)), SecretKey: deref(secret.Expand(c.SecretKey)),
			SessionToken: secret.Expand(c.SessionToken), Region: secret.Expand(c.Region), RoleARN: secret.Expand(c.RoleARN),
			ExternalID: secret.Expand(c.ExternalID), SessionName: secret.Expand(c.SessionName), ProjectID: secret.Expand(c.ProjectID),
		}
	}
	if c := m.ReplicateKeyConfig; c != nil {
		k.ReplicateKeyConfig = &bifrost.ReplicateKeyConfig{UseDeploymentsEndpoint: c.UseDeploymentsEndpoint.ValueBool()}
	}
	for _, s := range k.Secrets() {
		if bifrost.LooksRedacted(s) {
			diags.AddAttributeError(path.Root("value"), "Refusing to send a masked secret",
				"A secret of this key has the form of a Bifrost mask (for instance after an import, or with ignore_changes on a secret). "+
					"Bifrost v1.5 would store it as the real secret. Set the real value in the configuration.")
			break
		}
	}
	return k, diags
}

// trueOrNil is a boolean sent only when true.
func trueOrNil(v types.Bool) *bool {
	if v.ValueBool() {
		return v.ValueBoolPointer()
	}
	return nil
}

func deref(s *bifrost.SecretVar) bifrost.SecretVar {
	if s == nil {
		return bifrost.SecretVar{}
	}
	return *s
}

// flattenKey returns the state for a key read from the server, starting from
// the prior state (prior) so that what the server cannot show (secrets,
// write-only attributes, timeouts) is carried forward.
func flattenKey(ctx context.Context, k *bifrost.Key, provider string, prior keyModel) (keyModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := prior
	m.ID = types.StringValue(k.ID)
	m.ProviderName = types.StringValue(provider)
	m.Name = types.StringValue(k.Name)
	m.ValueWO = types.StringNull()
	if prior.ValueWOVersion.IsNull() {
		m.Value = secret.State(prior.Value, &k.Value)
	}
	m.ValueFromEnv = types.BoolValue(k.Value.FromEnv)
	m.ValueEnvVar = types.StringValue("")
	if k.Value.FromEnv {
		m.ValueEnvVar = types.StringValue(k.Value.Ref)
	}
	m.Weight = types.Float64Value(k.Weight)
	m.Enabled = types.BoolValue(k.Enabled == nil || *k.Enabled)
	m.UseForBatchAPI = types.BoolValue(k.UseForBatchAPI)
	m.Models = tfvalue.StringSet(k.Models, &diags)
	m.BlacklistedModels = tfvalue.StringSet(k.BlacklistedModels, &diags)
	m.Aliases, m.AliasConfigs = flattenAliases(ctx, k, prior, &diags)
	m.UseAnthropic = types.BoolValue(k.UseAnthropicEndpoints != nil && *k.UseAnthropicEndpoints)
	m.ConfigHash = types.StringValue(k.ConfigHash)
	m.Status = types.StringValue(k.Status)
	m.Description = types.StringValue(k.Description)

	m.AzureKeyConfig = flattenAzure(ctx, k.AzureKeyConfig, prior.AzureKeyConfig, &diags)
	m.VertexKeyConfig = flattenVertex(k.VertexKeyConfig, prior.VertexKeyConfig)
	m.BedrockKeyConfig = flattenBedrock(k.BedrockKeyConfig, prior.BedrockKeyConfig)
	m.VLLMKeyConfig = flattenVLLM(k.VLLMKeyConfig, prior.VLLMKeyConfig)
	m.OllamaKeyConfig = flattenURL(k.OllamaKeyConfig, prior.OllamaKeyConfig)
	m.SGLKeyConfig = flattenURL(k.SGLKeyConfig, prior.SGLKeyConfig)
	m.ReplicateKeyConfig = flattenReplicate(k.ReplicateKeyConfig, prior.ReplicateKeyConfig)
	m.MantleKeyConfig = flattenMantle(k.BedrockMantleKeyConfig, prior.MantleKeyConfig)
	// The secrets of the blocks configured write-only stay out of state.
	secret.KeepWriteOnly(&prior, &m, nil)
	return m, diags
}

// allNull reports whether every attribute of a block model is null, empty
// or false.
func allNull(v reflect.Value) bool {
	for i := range v.NumField() {
		f := v.Field(i).Interface()
		switch t := f.(type) {
		case types.Bool:
			if t.ValueBool() {
				return false
			}
		case attr.Value:
			if !t.IsNull() && !(t.Equal(types.StringValue(""))) {
				return false
			}
		default:
			if !v.Field(i).IsZero() {
				return false
			}
		}
	}
	return true
}

func flattenAzure(ctx context.Context, got *bifrost.AzureKeyConfig, prior *azureModel, diags *diag.Diagnostics) *azureModel {
	if got == nil {
		return keepOrNil(got, prior)
	}
	p := tfvalue.OrZero(prior)
	m := &azureModel{
		Endpoint:     secret.State(p.Endpoint, &got.Endpoint),
		APIVersion:   secret.StateInClear(p.APIVersion, got.APIVersion),
		ClientID:     secret.State(p.ClientID, got.ClientID),
		ClientSecret: secret.State(p.ClientSecret, got.ClientSecret),
		TenantID:     secret.State(p.TenantID, got.TenantID),
		Scopes:       types.ListNull(types.StringType),
	}
	if len(got.Scopes) > 0 {
		v, d := types.ListValueFrom(ctx, types.StringType, got.Scopes)
		diags.Append(d...)
		m.Scopes = v
	}
	return m
}

func flattenVertex(got *bifrost.VertexKeyConfig, prior *vertexModel) *vertexModel {
	if got == nil {
		return keepOrNil(got, prior)
	}
	p := tfvalue.OrZero(prior)
	return &vertexModel{
		ProjectID:         secret.State(p.ProjectID, &got.ProjectID),
		ProjectNumber:     secret.State(p.ProjectNumber, &got.ProjectNumber),
		Region:            secret.State(p.Region, &got.Region),
		AuthCredentials:   secret.State(p.AuthCredentials, &got.AuthCredentials),
		ForceSingleRegion: types.BoolValue(got.ForceSingleRegion),
	}
}

func flattenBedrock(got *bifrost.BedrockKeyConfig, prior *bedrockModel) *bedrockModel {
	if got == nil {
		return keepOrNil(got, prior)
	}
	p := tfvalue.OrZero(prior)
	m := &bedrockModel{
		AccessKey:    secret.State(p.AccessKey, &got.AccessKey),
		SecretKey:    secret.State(p.SecretKey, &got.SecretKey),
		SessionToken: secret.State(p.SessionToken, got.SessionToken),
		Region:       secret.State(p.Region, got.Region),
		ARN:          secret.State(p.ARN, got.ARN),
		RoleARN:      secret.State(p.RoleARN, got.RoleARN),
		ExternalID:   secret.State(p.ExternalID, got.ExternalID),
		SessionName:  secret.State(p.SessionName, got.SessionName),
		ProjectID:    secret.State(p.ProjectID, got.ProjectID),
	}
	if got.BatchS3Config != nil && len(got.BatchS3Config.Buckets) > 0 {
		m.BatchS3Config = &batchS3Model{}
		for _, b := range got.BatchS3Config.Buckets {
			m.BatchS3Config.Buckets = append(m.BatchS3Config.Buckets, bucketModel{
				BucketName: types.StringValue(b.BucketName), Prefix: types.StringValue(b.Prefix), IsDefault: types.BoolValue(b.IsDefault),
			})
		}
	} else if p.BatchS3Config != nil && len(p.BatchS3Config.Buckets) == 0 {
		m.BatchS3Config = p.BatchS3Config
	}
	return m
}

func flattenVLLM(got *bifrost.VLLMKeyConfig, prior *vllmModel) *vllmModel {
	if got == nil {
		return keepOrNil(got, prior)
	}
	p := tfvalue.OrZero(prior)
	m := &vllmModel{URL: secret.State(p.URL, &got.URL), ModelName: types.StringNull()}
	if got.ModelName != "" || !p.ModelName.IsNull() {
		m.ModelName = types.StringValue(got.ModelName)
	}
	return m
}

func flattenURL(got *bifrost.URLKeyConfig, prior *urlModel) *urlModel {
	if got == nil {
		return keepOrNil(got, prior)
	}
	p := tfvalue.OrZero(prior)
	return &urlModel{URL: secret.State(p.URL, &got.URL)}
}

func flattenReplicate(got *bifrost.ReplicateKeyConfig, prior *replicateModel) *replicateModel {
	if got == nil {
		return keepOrNil(got, prior)
	}
	return &replicateModel{UseDeploymentsEndpoint: types.BoolValue(got.UseDeploymentsEndpoint)}
}

func flattenMantle(got *bifrost.BedrockMantleKeyConfig, prior *mantleModel) *mantleModel {
	if got == nil {
		return keepOrNil(got, prior)
	}
	p := tfvalue.OrZero(prior)
	return &mantleModel{
		AccessKey:    secret.State(p.AccessKey, &got.AccessKey),
		SecretKey:    secret.State(p.SecretKey, &got.SecretKey),
		SessionToken: secret.State(p.SessionToken, got.SessionToken),
		Region:       secret.State(p.Region, got.Region),
		RoleARN:      secret.State(p.RoleARN, got.RoleARN),
		ExternalID:   secret.State(p.ExternalID, got.ExternalID),
		SessionName:  secret.State(p.SessionName, got.SessionName),
		ProjectID:    secret.State(p.ProjectID, got.ProjectID),
	}
}

// flattenOptionalBool reads a boolean the server omits when false: an unset
// attribute stays unset while the server says false.
func flattenOptionalBool(got bool, prior types.Bool) types.Bool {
	if !got && prior.IsNull() {
		return types.BoolNull()
	}
	return types.BoolValue(got)
}

// keepOrNil handles a block the server did not return: Bifrost omits blocks
// whose fields are all empty, so the prior block is kept when it held nothing
// Bifrost would store; otherwise the block was removed.
func keepOrNil[T, W any](got *W, prior *T) *T {
	if got == nil && prior != nil && allNull(reflect.ValueOf(*prior)) {
		return prior
	}
	return nil
}

var aliasConfigType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"model_id": types.StringType, "model_name": types.StringType, "model_family": types.StringType,
	"description": types.StringType, "api_version": types.StringType, "anthropic_version": types.StringType,
	"region": types.StringType, "endpoint": types.StringType, "project_id": types.StringType,
	"project_number": types.StringType, "inference_profile_arn": types.StringType,
	"force_single_region": types.BoolType, "use_deployments_endpoint": types.BoolType, "use_anthropic_endpoints": types.BoolType,
}}

// flattenAliases splits the server's aliases into aliases (plain) and
// alias_configs (rich). Bifrost writes a rich alias that only has a model_id
// as a plain string, so such an alias stays in alias_configs when it was
// there before.
func flattenAliases(ctx context.Context, k *bifrost.Key, prior keyModel, diags *diag.Diagnostics) (types.Map, types.Map) {
	var priorRich map[string]aliasConfigModel
	if !prior.AliasConfigs.IsNull() && !prior.AliasConfigs.IsUnknown() {
		diags.Append(prior.AliasConfigs.ElementsAs(ctx, &priorRich, false)...)
	}
	plain := map[string]string{}
	rich := map[string]aliasConfigModel{}
	for name, target := range k.Aliases {
		if p, ok := priorRich[name]; ok && p.ModelID.ValueString() == target && onlyModelID(p) {
			rich[name] = p
			continue
		}
		plain[name] = target
	}
	for name, a := range k.AliasConfigs {
		p := priorRich[name]
		rich[name] = aliasConfigModel{
			ModelID:                types.StringValue(a.ModelID),
			ModelName:              optionalString(a.ModelName, p.ModelName),
			ModelFamily:            optionalString(a.ModelFamily, p.ModelFamily),
			Description:            optionalString(a.Description, p.Description),
			APIVersion:             optionalString(a.APIVersion, p.APIVersion),
			AnthropicVersion:       optionalString(a.AnthropicVersion, p.AnthropicVersion),
			Region:                 secret.State(p.Region, a.Region),
			Endpoint:               secret.State(p.Endpoint, a.Endpoint),
			ProjectID:              secret.State(p.ProjectID, a.ProjectID),
			ProjectNumber:          secret.State(p.ProjectNumber, a.ProjectNumber),
			InferenceProfileARN:    secret.State(p.InferenceProfileARN, a.InferenceProfileARN),
			ForceSingleRegion:      flattenOptionalBool(a.ForceSingleRegion != nil && *a.ForceSingleRegion, p.ForceSingleRegion),
			UseDeploymentsEndpoint: flattenOptionalBool(a.UseDeploymentsEndpoint != nil && *a.UseDeploymentsEndpoint, p.UseDeploymentsEndpoint),
			UseAnthropicEndpoints:  flattenOptionalBool(a.UseAnthropicEndpoints != nil && *a.UseAnthropicEndpoints, p.UseAnthropicEndpoints),
		}
	}
	plainV, richV := types.MapNull(types.StringType), types.MapNull(aliasConfigType)
	if len(plain) > 0 {
		v, d := types.MapValueFrom(ctx, types.StringType, plain)
		diags.Append(d...)
		plainV = v
	}
	if len(rich) > 0 {
		v, d := types.MapValueFrom(ctx, aliasConfigType, rich)
		diags.Append(d...)
		richV = v
	}
	return plainV, richV
}

// optionalString reads a string the server omits when empty: an unset
// attribute stays unset.
func optionalString(got string, prior types.String) types.String {
	if got == "" && prior.IsNull() {
		return types.StringNull()
	}
	return types.StringValue(got)
}

// onlyModelID reports whether a rich alias sets nothing but its model_id.
func onlyModelID(a aliasConfigModel) bool {
	a.ModelID = types.StringNull()
	return allNull(reflect.ValueOf(a))
}
