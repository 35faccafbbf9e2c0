package jinja

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// OrderedMap is a dict that keeps insertion order, as Python dicts do. Pass it
// (or values from DecodeJSON) wherever key order must survive into the
// output, e.g. tool schemas rendered with tojson or iterated with items().
// Plain Go maps are accepted too, but iterate in sorted key order.
// The zero value is an empty map ready for use.
type OrderedMap struct {
	keys []string
	vals map[string]any
}

// NewOrderedMap returns an empty map.
func NewOrderedMap() *OrderedMap {
	return &OrderedMap{vals: map[string]any{}}
}

// Set stores v under k; a new key goes last, an existing key keeps its place.
func (m *OrderedMap) Set(k string, v any) {
	if m.vals == nil {
		m.vals = map[string]any{}
	}
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

// Get returns the value stored under k.
func (m *OrderedMap) Get(k string) (any, bool) {
	v, ok := m.vals[k]
	return v, ok
}

// Keys returns the keys in insertion order; the slice must not be modified.
func (m *OrderedMap) Keys() []string { return m.keys }

// Len is the number of keys.
func (m *OrderedMap) Len() int { return len(m.keys) }

// UnmarshalJSON decodes a JSON object, keeping key order; nested objects
// become *OrderedMap, arrays []any, integers int64 and other numbers float64.
func (m *OrderedMap) UnmarshalJSON(b []byte) error {
	v, err := DecodeJSON(b)
	if err != nil {
		return err
	}
	om, ok := v.(*OrderedMap)
	if !ok {
		return fmt.Errorf("jinja: JSON value is %s, not an object", typeName(v))
	}
	*m = *om
	return nil
}

// MarshalJSON encodes the map as a JSON object in key order.
func (m *OrderedMap) MarshalJSON() ([]byte, error) {
	s, err := toJSON(m, jsonOptions{itemSep: ",", keySep: ":"})
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// DecodeJSON decodes one JSON value into engine values: objects become
// *OrderedMap in document order, arrays []any, integral numbers int64, other
// numbers float64. Use it for tool schemas and arguments so tojson and
// items() see keys in the order the JSON had them.
func DecodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeJSONValue(dec, 0)
	if err != nil {
		return nil, fmt.Errorf("jinja: decode JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("jinja: decode JSON: trailing data after value")
	}
	return v, nil
}

func decodeJSONValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxNormalizeDepth {
		return nil, fmt.Errorf("nested deeper than %d levels", maxNormalizeDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := NewOrderedMap()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is %v, not a string", kt)
				}
				v, err := decodeJSONValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				m.Set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return m, nil
		case '[':
			list := []any{}
			for dec.More() {
				v, err := decodeJSONValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return list, nil
		}
		return nil, fmt.Errorf("unexpected delimiter %v", t)
	case json.Number:
		v, err := numberFromJSON(t)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	return tok, nil // string, bool or nil
}
