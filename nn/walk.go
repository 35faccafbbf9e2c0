package nn

import (
	"reflect"
	"strconv"
)

// Walk calls fn for every module reachable from module (a pointer to a
// struct) through tagged fields, depth first, parents before children, with
// the module's checkpoint path ("" for the root, then "model.layers.0.mlp"
// style). Nil module pointers are skipped. It is how load-time passes (such
// as quantizing every Linear) find layers without knowing the model.
func Walk(module any, fn func(path string, m any)) {
	v := reflect.ValueOf(module)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return
	}
	walk(v, "", fn)
}

func walk(ptr reflect.Value, path string, fn func(string, any)) {
	if ptr.CanInterface() {
		fn(path, ptr.Interface())
	}
	v := ptr.Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		tag, ok := f.Tag.Lookup("nn")
		if tag == "-" {
			continue
		}
		name := path
		if ok {
			ti, err := parseTag(tag)
			if err != nil {
				continue
			}
			name = join(path, ti.name)
		} else if !f.Anonymous {
			continue
		}
		walkValue(v.Field(i), name, fn)
	}
}

func walkValue(fv reflect.Value, path string, fn func(string, any)) {
	switch {
	case fv.Type() == tensorType:
	case fv.Kind() == reflect.Struct:
		walk(fv.Addr(), path, fn)
	case fv.Kind() == reflect.Pointer && fv.Type().Elem().Kind() == reflect.Struct:
		if !fv.IsNil() {
			walk(fv, path, fn)
		}
	case fv.Kind() == reflect.Slice || fv.Kind() == reflect.Array:
		for i := range fv.Len() {
			walkValue(fv.Index(i), join(path, strconv.Itoa(i)), fn)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
