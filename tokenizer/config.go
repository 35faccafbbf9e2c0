package tokenizer

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// tokenValue is a special token written as a plain string or as an
// AddedToken object ({"content": ..., "special": ..., ...}).
type tokenValue struct {
	tok   addedToken
	isObj bool
	set   bool
}

// UnmarshalJSON accepts a string, an AddedToken object or null.
func (v *tokenValue) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v.tok = addedToken{Content: s, Special: true}
		v.set = true
		return nil
	}
	var obj struct {
		Content    *string `json:"content"`
		SingleWord bool    `json:"single_word"`
		LStrip     bool    `json:"lstrip"`
		RStrip     bool    `json:"rstrip"`
		Normalized *bool   `json:"normalized"`
		Special    *bool   `json:"special"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("want a string or an AddedToken object: %w", err)
	}
	if obj.Content == nil {
		return fmt.Errorf("AddedToken object without content")
	}
	v.tok = addedToken{Content: *obj.Content, SingleWord: obj.SingleWord, LStrip: obj.LStrip, RStrip: obj.RStrip,
		Normalized: boolOr(obj.Normalized, false), Special: boolOr(obj.Special, true)}
	v.isObj, v.set = true, true
	return nil
}

// chatTemplates is chat_template: a string, or a list of {name, template}.
type chatTemplates map[string]string

// UnmarshalJSON accepts a string, a list of {name, template} or null.
func (c *chatTemplates) UnmarshalJSON(b []byte) error {
	*c = chatTemplates{}
	if isNull(b) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		(*c)["default"] = s
		return nil
	}
	var list []struct {
		Name     string `json:"name"`
		Template string `json:"template"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("want a string or a list of {name, template}: %w", err)
	}
	for _, e := range list {
		(*c)[e.Name] = e.Template
	}
	return nil
}

// tokenizerConfig is what this package reads from tokenizer_config.json
// (and, for its special tokens, special_tokens_map.json).
type tokenizerConfig struct {
	BOS, EOS, PAD, UNK tokenValue
	AddBOS, AddEOS     *bool
	ChatTemplate       chatTemplates
	CleanUp            *bool
	SplitSpecial       *bool
	Additional         []tokenValue
	Extra              map[string]tokenValue // named extra special tokens
	ExtraList          []tokenValue          // extra special tokens given as a list
	Named              map[string]tokenValue // every other "*_token" entry
	AddedDecoder       map[int32]addedToken
}

// parseTokenizerConfig reads tokenizer_config.json or special_tokens_map.json.
// Errors are *fieldError values naming the key.
func parseTokenizerConfig(data []byte) (*tokenizerConfig, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	c := &tokenizerConfig{Named: map[string]tokenValue{}, Extra: map[string]tokenValue{}}
	dec := func(key string, dst any) error {
		r, ok := raw[key]
		if !ok || isNull(r) {
			return nil
		}
		if err := json.Unmarshal(r, dst); err != nil {
			return atField(key, err)
		}
		return nil
	}
	for _, f := range []struct {
		key string
		dst any
	}{
		{"bos_token", &c.BOS}, {"eos_token", &c.EOS}, {"pad_token", &c.PAD}, {"unk_token", &c.UNK},
		{"add_bos_token", &c.AddBOS}, {"add_eos_token", &c.AddEOS}, {"chat_template", &c.ChatTemplate},
		{"clean_up_tokenization_spaces", &c.CleanUp}, {"additional_special_tokens", &c.Additional},
		{"split_special_tokens", &c.SplitSpecial},
	} {
		if err := dec(f.key, f.dst); err != nil {
			return nil, err
		}
	}
	if r, ok := raw["extra_special_tokens"]; ok && !isNull(r) {
		if strings.HasPrefix(strings.TrimSpace(string(r)), "[") {
			if err := json.Unmarshal(r, &c.ExtraList); err != nil {
				return nil, atField("extra_special_tokens", err)
			}
		} else if err := json.Unmarshal(r, &c.Extra); err != nil {
			return nil, atField("extra_special_tokens", err)
		}
	}
	if r, ok := raw["added_tokens_decoder"]; ok && !isNull(r) {
		var m map[string]tokenValue
		if err := json.Unmarshal(r, &m); err != nil {
			return nil, atField("added_tokens_decoder", err)
		}
		c.AddedDecoder = make(map[int32]addedToken, len(m))
		for k, v := range m {
			var id int32
			if _, err := fmt.Sscanf(k, "%d", &id); err != nil || id < 0 {
				return nil, atField("added_tokens_decoder", fmt.Errorf("key %q is not a token id", k))
			}
			v.tok.ID = id
			c.AddedDecoder[id] = v.tok
		}
	}
	for key, r := range raw {
		switch key {
		case "bos_token", "eos_token", "pad_token", "unk_token":
			continue
		}
		if !strings.HasSuffix(key, "_token") || isNull(r) {
			continue
		}
		var v tokenValue
		if json.Unmarshal(r, &v) == nil && v.set {
			c.Named[key] = v
		}
	}
	return c, nil
}

// mergeMissing fills the special tokens c lacks from o (special_tokens_map.json
// values only count where tokenizer_config.json has none).
func (c *tokenizerConfig) mergeMissing(o *tokenizerConfig) {
	for _, p := range []struct{ dst, src *tokenValue }{{&c.BOS, &o.BOS}, {&c.EOS, &o.EOS}, {&c.PAD, &o.PAD}, {&c.UNK, &o.UNK}} {
		if !p.dst.set {
			*p.dst = *p.src
		}
	}
	if len(c.Additional) == 0 {
		c.Additional = o.Additional
	}
	for k, v := range o.Named {
		if _, ok := c.Named[k]; !ok {
			c.Named[k] = v
		}
	}
}

// generationConfig holds the token ids of generation_config.json.
type generationConfig struct {
	BOS, PAD *int32
	EOS      []int32
}

func parseGenerationConfig(data []byte) (*generationConfig, error) {
	var raw struct {
		BOS json.RawMessage `json:"bos_token_id"`
		EOS json.RawMessage `json:"eos_token_id"`
		PAD json.RawMessage `json:"pad_token_id"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	g := &generationConfig{}
	var err error
	if g.EOS, err = intOrList(raw.EOS); err != nil {
		return nil, atField("eos_token_id", err)
	}
	for _, f := range []struct {
		key string
		raw json.RawMessage
		dst **int32
	}{{"bos_token_id", raw.BOS, &g.BOS}, {"pad_token_id", raw.PAD, &g.PAD}} {
		ids, err := intOrList(f.raw)
		if err != nil {
			return nil, atField(f.key, err)
		}
		if len(ids) > 0 {
			*f.dst = &ids[0]
		}
	}
	return g, nil
}

// intOrList reads an integer, a list of integers, or null.
func intOrList(raw json.RawMessage) ([]int32, error) {
	if isNull(raw) {
		return nil, nil
	}
	var one int32
	if err := json.Unmarshal(raw, &one); err == nil {
		return []int32{one}, nil
	}
	var list []int32
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("want an integer or a list of integers: %w", err)
	}
	return list, nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
