// Package tfmodel converts between Terraform object values and the Go
// structs that model them (fields tagged `tfsdk:"name"`), as the framework's
// tfsdk.State.Get and Set do, without their per-call cost.
//
// The framework's conversion re-parses the struct tags of every field on
// every call (compiling a regular expression per field) and walks the
// schema for each attribute; for the key resource that was a third of a
// refresh's provider CPU. Here the fields of a struct type are looked up
// once and the attribute types come from the schema's object type, which
// the caller keeps.
//
// The fields handled are the ones the framework handles for resources:
//   - attr.Value implementations (types.String, types.Set, custom types such
//     as timeouts.Value), converted with their attribute type;
//   - pointers to structs, for single nested blocks (nil is null);
//   - slices of structs, for list nested blocks (nil is null).
package tfmodel

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Get decodes the object value v, of the attribute type typ, into the
// struct target points to.
func Get(ctx context.Context, typ attr.Type, v tftypes.Value, target any) error {
	rv := reflect.ValueOf(target)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("tfmodel: target must be a non-nil pointer to a struct, not %T", target)
	}
	return getStruct(ctx, typ, v, rv.Elem())
}

// Set returns the object value, of the attribute type typ, of the struct
// model (or pointer to it).
func Set(ctx context.Context, typ attr.Type, model any) (tftypes.Value, error) {
	rv := reflect.ValueOf(model)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return tftypes.Value{}, fmt.Errorf("tfmodel: model must be a struct, not %T", model)
	}
	return setStruct(ctx, typ, typ.TerraformType(ctx), rv)
}

var attrValueType = reflect.TypeFor[attr.Value]()

// field is a tagged struct field.
type field struct {
	index int
	name  string
}

var (
	fieldCacheMu sync.RWMutex
	fieldCache   = map[reflect.Type][]field{}
)

// fieldsOf returns the tagged fields of a struct type.
func fieldsOf(t reflect.Type) ([]field, error) {
	fieldCacheMu.RLock()
	f, ok := fieldCache[t]
	fieldCacheMu.RUnlock()
	if ok {
		return f, nil
	}
	var fields []field
	for i := range t.NumField() {
		sf := t.Field(i)
		name := sf.Tag.Get("tfsdk")
		if name == "" || name == "-" {
			if sf.IsExported() && name == "" {
				return nil, fmt.Errorf("tfmodel: %s.%s has no tfsdk tag", t, sf.Name)
			}
			continue
		}
		fields = append(fields, field{index: i, name: name})
	}
	fieldCacheMu.Lock()
	fieldCache[t] = fields
	fieldCacheMu.Unlock()
	return fields, nil
}

// attrTypes are the attribute types of an object type.
func attrTypes(typ attr.Type) (map[string]attr.Type, error) {
	switch t := typ.(type) {
	case basetypes.ObjectType:
		return t.AttrTypes, nil
	case interface{ AttributeTypes() map[string]attr.Type }:
		return t.AttributeTypes(), nil
	}
	return nil, fmt.Errorf("tfmodel: %T is not an object type", typ)
}

func getStruct(ctx context.Context, typ attr.Type, v tftypes.Value, out reflect.Value) error {
	if !v.IsKnown() || v.IsNull() {
		return fmt.Errorf("tfmodel: cannot decode a null or unknown object into %s", out.Type())
	}
	types, err := attrTypes(typ)
	if err != nil {
		return err
	}
	fields, err := fieldsOf(out.Type())
	if err != nil {
		return err
	}
	var vals map[string]tftypes.Value
	if err := v.As(&vals); err != nil {
		return err
	}
	if len(vals) != len(fields) {
		return fmt.Errorf("tfmodel: %s has %d fields, the object %d attributes", out.Type(), len(fields), len(vals))
	}
	for _, f := range fields {
		at, ok := types[f.name]
		av, ok2 := vals[f.name]
		if !ok || !ok2 {
			return fmt.Errorf("tfmodel: the object has no attribute %q (field of %s)", f.name, out.Type())
		}
		if err := getField(ctx, at, av, out.Field(f.index)); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return nil
}

func getField(ctx context.Context, typ attr.Type, v tftypes.Value, out reflect.Value) error {
	t := out.Type()
	switch {
	case t.Implements(attrValueType):
		val, err := typ.ValueFromTerraform(ctx, v)
		if err != nil {
			return err
		}
		rv := reflect.ValueOf(val)
		if !rv.Type().AssignableTo(t) {
			return fmt.Errorf("tfmodel: %T is not assignable to %s", val, t)
		}
		out.Set(rv)
		return nil
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		if v.IsNull() {
			out.Set(reflect.Zero(t))
			return nil
		}
		p := reflect.New(t.Elem())
		if err := getStruct(ctx, typ, v, p.Elem()); err != nil {
			return err
		}
		out.Set(p)
		return nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		if v.IsNull() {
			out.Set(reflect.Zero(t))
			return nil
		}
		if !v.IsKnown() {
			return fmt.Errorf("tfmodel: cannot decode an unknown list into %s", t)
		}
		lt, ok := typ.(attr.TypeWithElementType)
		if !ok {
			return fmt.Errorf("tfmodel: %T is not a list type", typ)
		}
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return err
		}
		s := reflect.MakeSlice(t, len(elems), len(elems))
		for i, e := range elems {
			if err := getStruct(ctx, lt.ElementType(), e, s.Index(i)); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		out.Set(s)
		return nil
	default:
		return fmt.Errorf("tfmodel: fields of type %s are not supported", t)
	}
}

// setStruct and setField take the attribute type and its Terraform type
// (computed once: converting a schema's type allocates).
func setStruct(ctx context.Context, typ attr.Type, tt tftypes.Type, in reflect.Value) (tftypes.Value, error) {
	types, err := attrTypes(typ)
	if err != nil {
		return tftypes.Value{}, err
	}
	ot, ok := tt.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("tfmodel: %s is not an object type", tt)
	}
	fields, err := fieldsOf(in.Type())
	if err != nil {
		return tftypes.Value{}, err
	}
	vals := make(map[string]tftypes.Value, len(fields))
	for _, f := range fields {
		at, ok := types[f.name]
		if !ok {
			return tftypes.Value{}, fmt.Errorf("tfmodel: the object type has no attribute %q (field of %s)", f.name, in.Type())
		}
		v, err := setField(ctx, at, ot.AttributeTypes[f.name], in.Field(f.index))
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", f.name, err)
		}
		vals[f.name] = v
	}
	if len(vals) != len(types) {
		return tftypes.Value{}, fmt.Errorf("tfmodel: %s has %d fields, the object type %d attributes", in.Type(), len(vals), len(types))
	}
	return tftypes.NewValue(tt, vals), nil
}

func setField(ctx context.Context, typ attr.Type, tt tftypes.Type, in reflect.Value) (tftypes.Value, error) {
	t := in.Type()
	switch {
	case t.Implements(attrValueType):
		v, ok := in.Interface().(attr.Value)
		if !ok { // a nil interface
			return tftypes.Value{}, fmt.Errorf("tfmodel: no value in a field of type %s", t)
		}
		// As the framework does: a value of another type (a zero
		// types.Set has no element type) is an error, not a panic of
		// tftypes.NewValue further on.
		if vt := v.Type(ctx); !vt.Equal(typ) {
			return tftypes.Value{}, fmt.Errorf("tfmodel: a value of type %s where the schema has %s", vt, typ)
		}
		return v.ToTerraformValue(ctx)
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		if in.IsNil() {
			return tftypes.NewValue(tt, nil), nil
		}
		return setStruct(ctx, typ, tt, in.Elem())
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		if in.IsNil() {
			return tftypes.NewValue(tt, nil), nil
		}
		lt, ok := typ.(attr.TypeWithElementType)
		ltt, ok2 := tt.(tftypes.List)
		if !ok || !ok2 {
			return tftypes.Value{}, fmt.Errorf("tfmodel: %T is not a list type", typ)
		}
		elems := make([]tftypes.Value, in.Len())
		for i := range elems {
			e, err := setStruct(ctx, lt.ElementType(), ltt.ElementType, in.Index(i))
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("[%d]: %w", i, err)
			}
			elems[i] = e
		}
		return tftypes.NewValue(tt, elems), nil
	default:
		return tftypes.Value{}, fmt.Errorf("tfmodel: fields of type %s are not supported", t)
	}
}
