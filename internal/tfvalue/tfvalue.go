// Package tfvalue holds the conversions between Go values and
// terraform-plugin-framework values that every resource family uses.
package tfvalue

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// StringSet is a set of strings; an empty or nil slice gives an empty
// (not null) set.
func StringSet(ss []string, diags *diag.Diagnostics) types.Set {
	elems := make([]attr.Value, len(ss))
	for i, s := range ss {
		elems[i] = types.StringValue(s)
	}
	v, d := types.SetValue(types.StringType, elems)
	diags.Append(d...)
	return v
}

// OrZero is *p, or T's zero value when p is nil.
func OrZero[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
