// Package tfvalue holds the conversions between Go values and
// terraform-plugin-framework values that every resource family uses.
package tfvalue

import (
	"reflect"

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

// ModelsEqual reports whether two models (structs of framework values,
// pointers to nested models, slices of them) hold equal values, comparing
// each value with its Equal method: reflect.DeepEqual would tell apart
// equal numbers of different precision.
func ModelsEqual[T any](a, b T) bool {
	return equal(reflect.ValueOf(a), reflect.ValueOf(b))
}

var attrValue = reflect.TypeFor[attr.Value]()

func equal(a, b reflect.Value) bool {
	if a.Type().Implements(attrValue) {
		av, aok := a.Interface().(attr.Value)
		bv, bok := b.Interface().(attr.Value)
		return aok && bok && av.Equal(bv)
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equal(a.Elem(), b.Elem())
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equal(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !equal(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	default:
		return reflect.DeepEqual(a.Interface(), b.Interface())
	}
}

// Project converts val to type t by dropping the object attributes t does
// not have, at any depth of nested objects: a data source shows a
// resource's state without its write-only attributes. Other values are
// returned as they are.
func Project(val attr.Value, t attr.Type, diags *diag.Diagnostics) attr.Value {
	ot, ok := t.(types.ObjectType)
	obj, isObj := val.(types.Object)
	if !ok || !isObj {
		return val
	}
	if obj.IsNull() {
		return types.ObjectNull(ot.AttrTypes)
	}
	if obj.IsUnknown() {
		return types.ObjectUnknown(ot.AttrTypes)
	}
	attrs := make(map[string]attr.Value, len(ot.AttrTypes))
	for name, at := range ot.AttrTypes {
		attrs[name] = Project(obj.Attributes()[name], at, diags)
	}
	out, d := types.ObjectValue(ot.AttrTypes, attrs)
	diags.Append(d...)
	return out
}
