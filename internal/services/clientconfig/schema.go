package clientconfig

import (
	"context"
	"fmt"
	"slices"
	"strings"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

// describe is a setting's description with its version and restart notes.
func (s setting) describe() string {
	d := s.desc
	if s.restart {
		d += " Changing it needs a Bifrost restart (a warning says so after apply)."
	}
	if s.v2 {
		d += " Bifrost ≥ 2.0 only: refused at plan time against v1.5.1 (null there)."
	}
	return d
}

// resourceAttributes are the settings as Optional+Computed attributes: an
// attribute left out of the configuration shows, and keeps, the server's
// value.
func resourceAttributes(list []setting) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, s := range list {
		d := s.describe()
		switch s.kind {
		case kBool:
			out[s.name] = schema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: d}
		case kInt:
			a := schema.Int64Attribute{Optional: true, Computed: true, MarkdownDescription: d}
			if s.min {
				a.Validators = []validator.Int64{atLeastOne{why: s.why}}
			}
			out[s.name] = a
		case kString:
			a := schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: d}
			if s.oneOf != nil {
				a.Validators = []validator.String{oneOf(s.oneOf)}
			}
			out[s.name] = a
		case kList:
			a := schema.ListAttribute{Optional: true, Computed: true, ElementType: types.StringType, MarkdownDescription: d}
			if s.headers {
				a.Validators = []validator.List{headerNames{}}
			}
			out[s.name] = a
		case kObject:
			out[s.name] = schema.SingleNestedAttribute{Optional: true, Computed: true, MarkdownDescription: d,
				Attributes: resourceAttributes(s.children)}
		}
	}
	return out
}

func resourceSchema() schema.Schema {
	attrs := resourceAttributes(settings)
	attrs["id"] = schema.StringAttribute{
		Computed: true, MarkdownDescription: "Always `" + singletonID + "`: a Bifrost server has one client configuration.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	return schema.Schema{
		MarkdownDescription: "Bifrost's core client settings (`client_config` of `/api/config`): a singleton, one per server. " +
			"Only the attributes you set are managed: the others show the server's values and are left as they are. " +
			"Each write reads the whole configuration, changes what you set and writes it back; the dashboard credentials " +
			"(`auth_config`) and the framework settings are never written. Destroying the resource leaves the server's settings as they are.",
		Attributes: attrs,
	}
}

func dataAttributes(list []setting) map[string]dschema.Attribute {
	out := map[string]dschema.Attribute{}
	for _, s := range list {
		d := s.describe()
		switch s.kind {
		case kBool:
			out[s.name] = dschema.BoolAttribute{Computed: true, MarkdownDescription: d}
		case kInt:
			out[s.name] = dschema.Int64Attribute{Computed: true, MarkdownDescription: d}
		case kString:
			out[s.name] = dschema.StringAttribute{Computed: true, MarkdownDescription: d}
		case kList:
			out[s.name] = dschema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: d}
		case kObject:
			out[s.name] = dschema.SingleNestedAttribute{Computed: true, MarkdownDescription: d, Attributes: dataAttributes(s.children)}
		}
	}
	return out
}

// atLeastOne refuses a number below 1, saying why.
type atLeastOne struct{ why string }

func (v atLeastOne) Description(context.Context) string { return "at least 1" }

func (v atLeastOne) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v atLeastOne) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueInt64() >= 1 {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Value below 1",
		fmt.Sprintf("%s is %d: it must be at least 1. %s", req.Path, req.ConfigValue.ValueInt64(), v.why))
}

// oneOf refuses a string not among values.
func oneOf(values []string) validator.String {
	return tfvalidate.String("one of "+strings.Join(values, ", "), func(s string, p path.Path, diags *diag.Diagnostics) {
		if !slices.Contains(values, s) {
			diags.AddAttributeError(p, "Invalid value", fmt.Sprintf("%s is %q: Bifrost accepts only %q.", p, s, values))
		}
	})
}

// securityHeaders are the headers Bifrost's header filter always blocks
// and refuses to have configured.
var securityHeaders = []string{"authorization", "proxy-authorization", "cookie", "host", "content-length",
	"connection", "transfer-encoding", "x-api-key", "x-goog-api-key", "x-bf-api-key", "x-bf-vk"}

// headerNames checks a header filter list as Bifrost does, and also that
// each name is written as Bifrost stores it (lower case, trimmed), so that
// the plan settles.
type headerNames struct{}

func (headerNames) Description(context.Context) string {
	return "lower-case header names, a * only at the end, no security header"
}

func (v headerNames) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (headerNames) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for i, e := range req.ConfigValue.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		h, p := s.ValueString(), req.Path.AtListIndex(i)
		switch {
		case h == "" || h != strings.ToLower(strings.TrimSpace(h)):
			resp.Diagnostics.AddAttributeError(p, "Header name not as Bifrost stores it",
				fmt.Sprintf("%q: Bifrost stores header names trimmed and in lower case (and drops empty ones); write it %q so that the plan settles.",
					h, strings.ToLower(strings.TrimSpace(h))))
		case strings.Contains(strings.TrimSuffix(h, "*"), "*"):
			resp.Diagnostics.AddAttributeError(p, "Invalid header pattern",
				fmt.Sprintf("%q: Bifrost supports a wildcard (*) only at the end of a pattern.", h))
		case slices.Contains(securityHeaders, h):
			resp.Diagnostics.AddAttributeError(p, "Security header",
				fmt.Sprintf("%q is a security header: Bifrost always blocks it and refuses to have it configured.", h))
		}
	}
}
