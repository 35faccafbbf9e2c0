package vlm

import (
	"encoding/json"
	"fmt"
)

// QuantizationConfig is the mlx-community "quantization" (or
// "quantization_config") object of config.json: a default group size and
// bit width plus per-module overrides. A per-module entry that is false
// means the module is not quantized; an object holds its own bits and group
// size.
type QuantizationConfig struct {
	GroupSize int
	Bits      int
	// Mode is the quantization mode; only "affine" (the default) is
	// supported.
	Mode string
	// Layers holds the per-module overrides by module path
	// ("model.layers.0.mlp.down_proj").
	Layers map[string]LayerQuantization
}

// LayerQuantization is one per-module override.
type LayerQuantization struct {
	Quantized       bool
	GroupSize, Bits int
}

// ParseQuantization reads the quantization settings of a config.json. It
// returns nil (and no error) for unquantized checkpoints, and an error for
// quantization methods govlm cannot load (GPTQ, AWQ, bitsandbytes, FP8, MX
// modes).
func ParseQuantization(configJSON []byte) (*QuantizationConfig, error) {
	var top struct {
		Quantization       map[string]json.RawMessage `json:"quantization"`
		QuantizationConfig map[string]json.RawMessage `json:"quantization_config"`
	}
	if err := json.Unmarshal(configJSON, &top); err != nil {
		return nil, fmt.Errorf("decoding quantization settings: %w", err)
	}
	raw := top.Quantization
	key := "quantization"
	if raw == nil {
		raw, key = top.QuantizationConfig, "quantization_config"
	}
	if raw == nil {
		return nil, nil
	}
	q := &QuantizationConfig{Mode: "affine", Layers: map[string]LayerQuantization{}}
	for k, v := range raw {
		var err error
		switch k {
		case "group_size":
			err = json.Unmarshal(v, &q.GroupSize)
		case "bits":
			err = json.Unmarshal(v, &q.Bits)
		case "mode":
			err = json.Unmarshal(v, &q.Mode)
		case "quant_method":
			var m string
			if err = json.Unmarshal(v, &m); err == nil && m != "mlx" {
				return nil, fmt.Errorf("%s: quant_method %q is not supported (only mlx affine quantization)", key, m)
			}
		default:
			var lq LayerQuantization
			lq, err = parseLayerQuantization(v)
			if err == nil {
				q.Layers[k] = lq
			} else {
				// Unknown scalar settings of other tools are ignored.
				err = nil
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", key, k, err)
		}
	}
	if q.Mode != "affine" {
		return nil, fmt.Errorf("%s: mode %q is not supported (only affine)", key, q.Mode)
	}
	if q.Bits != 4 && q.Bits != 8 {
		return nil, fmt.Errorf("%s: %d-bit weights are not supported (4 or 8)", key, q.Bits)
	}
	if q.GroupSize == 0 {
		q.GroupSize = 64
	}
	if err := checkGroup(q.GroupSize); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	for name, l := range q.Layers {
		if !l.Quantized {
			continue
		}
		if l.Bits == 0 {
			l.Bits = q.Bits
		}
		if l.GroupSize == 0 {
			l.GroupSize = q.GroupSize
		}
		if l.Bits != 4 && l.Bits != 8 {
			return nil, fmt.Errorf("%s.%s: %d-bit weights are not supported (4 or 8)", key, name, l.Bits)
		}
		if err := checkGroup(l.GroupSize); err != nil {
			return nil, fmt.Errorf("%s.%s: %w", key, name, err)
		}
		q.Layers[name] = l
	}
	return q, nil
}

func checkGroup(g int) error {
	if g != 32 && g != 64 && g != 128 {
		return fmt.Errorf("group size %d is not supported (32, 64 or 128)", g)
	}
	return nil
}

func parseLayerQuantization(v json.RawMessage) (LayerQuantization, error) {
	var b bool
	if err := json.Unmarshal(v, &b); err == nil {
		return LayerQuantization{Quantized: b}, nil
	}
	var o struct {
		GroupSize int `json:"group_size"`
		Bits      int `json:"bits"`
	}
	if err := json.Unmarshal(v, &o); err != nil {
		return LayerQuantization{}, err
	}
	return LayerQuantization{Quantized: true, GroupSize: o.GroupSize, Bits: o.Bits}, nil
}

// For returns the bits and group size of the module at path (a checkpoint
// name without ".weight"), and false when the module is not quantized.
func (q *QuantizationConfig) For(path string) (bits, groupSize int, quantized bool) {
	if q == nil {
		return 0, 0, false
	}
	if l, ok := q.Layers[path]; ok {
		return l.Bits, l.GroupSize, l.Quantized
	}
	return q.Bits, q.GroupSize, true
}
