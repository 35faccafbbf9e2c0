package nn

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/govlm/govlm/tensor"
)

// Presence says whether a parameter must be, may be or must not be present
// in the checkpoint. It overrides the `optional` tag option for modules whose
// constructor knows better (a Linear built without a bias).
type Presence uint8

// Presence values.
const (
	// PresenceTag follows the struct tag: required unless tagged optional.
	PresenceTag Presence = iota
	// Required means the tensor must be in the checkpoint.
	Required
	// Absent means the module has no such parameter: it is left nil and a
	// checkpoint tensor of that name is reported as unused.
	Absent
)

// ParamSpec is what a module expects of one of its parameters.
type ParamSpec struct {
	// Shape is the expected logical shape; nil accepts any shape.
	Shape []int
	// Presence refines the tag's optional flag.
	Presence Presence
}

// Specifier is implemented by modules that know the shapes of their
// parameters, usually because a constructor such as NewLinear recorded them.
// ParamSpec receives the tag name of a tensor field ("weight") and returns
// the zero ParamSpec when it has no expectation.
type Specifier interface {
	ParamSpec(name string) ParamSpec
}

// ShapeMismatch is one tensor whose checkpoint shape differs from the shape
// its module expects.
type ShapeMismatch struct {
	Name      string
	Want, Got []int
}

// BindError lists every problem Bind found. Each list is sorted.
type BindError struct {
	// Missing names required tensors absent from the weights.
	Missing []string
	// Unused names weights (under the bound prefix) that no field took.
	Unused []string
	// Mismatched lists tensors whose shapes differ from the expected ones.
	Mismatched []ShapeMismatch
}

// Error lists the problems, a few names of each kind.
func (e *BindError) Error() string {
	var b strings.Builder
	b.WriteString("nn: binding weights:")
	list := func(what string, names []string) {
		if len(names) == 0 {
			return
		}
		fmt.Fprintf(&b, " %d %s (%s)", len(names), what, abbreviate(names, 8))
	}
	list("missing", e.Missing)
	list("unused", e.Unused)
	if len(e.Mismatched) > 0 {
		parts := make([]string, len(e.Mismatched))
		for i, m := range e.Mismatched {
			parts[i] = fmt.Sprintf("%s: want %v, got %v", m.Name, m.Want, m.Got)
		}
		fmt.Fprintf(&b, " %d mis-shaped (%s)", len(parts), abbreviate(parts, 8))
	}
	return b.String()
}

func abbreviate(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(", … %d more", len(names)-n)
}

// Weights is the lookup Bind reads from: checkpoint names to tensors.
type Weights = map[string]*tensor.Tensor

var tensorType = reflect.TypeFor[*tensor.Tensor]()

// Bind fills the tensor fields of module (a pointer to a struct) from
// weights, naming each tensor prefix + its path of tags.
//
// Tag syntax, on exported fields:
//
//	`nn:"name"`              required tensor or module at prefix+"name"
//	`nn:"name,optional"`     may be absent (the field stays nil)
//	`nn:"name,alt:other"`    when prefix+"name…" is absent use prefix+"other…"
//	                         (tied embeddings; alt may repeat)
//	`nn:"-"` or no tag       skipped; an untagged embedded struct is inlined
//
// Field kinds: *tensor.Tensor; a struct or pointer to struct (a module,
// whose names continue after "name."); a slice or array of either (element i
// is "name.i"). Slices must be sized by the model constructor from its
// config. A nil pointer to a module is allocated, except when it is tagged
// optional and no weight starts with its name, in which case it stays nil. A
// module implementing Specifier has each of its tensors checked against the
// declared shape and presence.
//
// Bind reports every missing, unused (a weight whose name starts with prefix
// that no field took) and mis-shaped tensor at once in a *BindError. Fields
// of an unsupported type give a plain error, a bug in the module.
func Bind(module any, weights Weights, prefix string) error {
	b := &binder{weights: weights, used: map[string]bool{}, bind: true}
	if err := b.root(module, prefix); err != nil {
		return err
	}
	for name := range weights {
		if strings.HasPrefix(name, prefix) && !b.used[name] {
			b.err.Unused = append(b.err.Unused, name)
		}
	}
	if len(b.err.Missing)+len(b.err.Unused)+len(b.err.Mismatched) == 0 {
		return nil
	}
	sort.Strings(b.err.Missing)
	sort.Strings(b.err.Unused)
	sort.Slice(b.err.Mismatched, func(i, j int) bool { return b.err.Mismatched[i].Name < b.err.Mismatched[j].Name })
	return &b.err
}

// Parameters lists the checkpoint names of every tensor field of module
// (optional ones included) in declaration order, each prefixed with prefix.
// Nil module pointers are explored through a temporary zero value and left
// nil.
func Parameters(module any, prefix string) []string {
	b := &binder{}
	if err := b.root(module, prefix); err != nil {
		return nil
	}
	return b.names
}

type binder struct {
	weights Weights
	used    map[string]bool
	bind    bool // false: only list names
	names   []string
	err     BindError
}

type tagInfo struct {
	name     string
	optional bool
	alts     []string
}

func parseTag(tag string) (tagInfo, error) {
	parts := strings.Split(tag, ",")
	t := tagInfo{name: parts[0]}
	for _, p := range parts[1:] {
		switch {
		case p == "optional":
			t.optional = true
		case strings.HasPrefix(p, "alt:"):
			t.alts = append(t.alts, strings.TrimPrefix(p, "alt:"))
		default:
			return t, fmt.Errorf("unknown nn tag option %q in %q", p, tag)
		}
	}
	return t, nil
}

func (b *binder) root(module any, prefix string) error {
	v := reflect.ValueOf(module)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("nn: Bind wants a non-nil pointer to a struct, got %T", module)
	}
	return b.module(v.Elem(), []string{prefix})
}

// module binds the fields of struct value v; prefixes[0] is the primary name
// prefix, the rest are alternates tried in order.
func (b *binder) module(v reflect.Value, prefixes []string) error {
	var spec Specifier
	if v.CanAddr() && v.Addr().CanInterface() {
		spec, _ = v.Addr().Interface().(Specifier)
	}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("nn")
		if !ok || tag == "-" {
			if ok || !f.Anonymous {
				continue
			}
			// An untagged embedded struct (or pointer to one, exported or
			// not) is inlined.
			fv := v.Field(i)
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					if !fv.CanSet() {
						continue
					}
					fv.Set(reflect.New(fv.Type().Elem()))
				}
				fv = fv.Elem()
			}
			if fv.Kind() == reflect.Struct {
				if err := b.module(fv, prefixes); err != nil {
					return err
				}
			}
			continue
		}
		if !f.IsExported() {
			return fmt.Errorf("nn: field %s.%s has an nn tag but is unexported", t, f.Name)
		}
		ti, err := parseTag(tag)
		if err != nil {
			return fmt.Errorf("nn: field %s.%s: %w", t, f.Name, err)
		}
		var ps ParamSpec
		if spec != nil {
			ps = spec.ParamSpec(ti.name)
		}
		if err := b.field(v.Field(i), ti, ps, extend(prefixes, ti)); err != nil {
			return fmt.Errorf("nn: field %s.%s: %w", t, f.Name, err)
		}
	}
	return nil
}

// extend returns the names of a field: each prefix with the tag name, then
// each prefix with each alternate.
func extend(prefixes []string, ti tagInfo) []string {
	out := make([]string, 0, len(prefixes)*(1+len(ti.alts)))
	for _, p := range prefixes {
		out = append(out, p+ti.name)
	}
	for _, a := range ti.alts {
		for _, p := range prefixes {
			out = append(out, p+a)
		}
	}
	return out
}

func suffixAll(names []string, s string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n + s
	}
	return out
}

// field binds one field whose candidate names (primary first) are names.
func (b *binder) field(fv reflect.Value, ti tagInfo, ps ParamSpec, names []string) error {
	switch {
	case fv.Type() == tensorType:
		b.tensor(fv, names, ti.optional, ps)
		return nil
	case fv.Kind() == reflect.Struct:
		return b.module(fv, suffixAll(names, "."))
	case fv.Kind() == reflect.Pointer && fv.Type().Elem().Kind() == reflect.Struct:
		if fv.IsNil() {
			if !b.bind {
				return b.module(reflect.New(fv.Type().Elem()).Elem(), suffixAll(names, "."))
			}
			if ti.optional && !b.anyWithPrefix(suffixAll(names, ".")) {
				return nil
			}
			fv.Set(reflect.New(fv.Type().Elem()))
		}
		return b.module(fv.Elem(), suffixAll(names, "."))
	case fv.Kind() == reflect.Slice || fv.Kind() == reflect.Array:
		for i := range fv.Len() {
			idx := "." + strconv.Itoa(i)
			if err := b.field(fv.Index(i), ti, ParamSpec{}, suffixAll(names, idx)); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unsupported field type %s", fv.Type())
}

func (b *binder) anyWithPrefix(prefixes []string) bool {
	for name := range b.weights {
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
	}
	return false
}

func (b *binder) tensor(fv reflect.Value, names []string, optional bool, ps ParamSpec) {
	if !b.bind {
		if ps.Presence != Absent {
			b.names = append(b.names, names[0])
		}
		return
	}
	if ps.Presence == Absent {
		return
	}
	for _, name := range names {
		w, ok := b.weights[name]
		if !ok {
			continue
		}
		b.used[name] = true
		if ps.Shape != nil && !equalShape(ps.Shape, w.Shape()) {
			b.err.Mismatched = append(b.err.Mismatched, ShapeMismatch{Name: name, Want: ps.Shape, Got: w.Shape()})
			return
		}
		fv.Set(reflect.ValueOf(w))
		return
	}
	if ps.Presence == Required || !optional {
		b.err.Missing = append(b.err.Missing, names[0])
	}
}

func equalShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
