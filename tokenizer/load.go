package tokenizer

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Files read by Load.
const (
	fileTokenizer        = "tokenizer.json"
	fileTokenizerConfig  = "tokenizer_config.json"
	fileSpecialTokensMap = "special_tokens_map.json"
	fileGenerationConfig = "generation_config.json"
	fileChatTemplateJinj = "chat_template.jinja"
	fileChatTemplateJSON = "chat_template.json"
	dirExtraTemplates    = "additional_chat_templates"
)

// Load reads the tokenizer of a model folder: tokenizer.json (required),
// then, when present, tokenizer_config.json (special tokens, add_bos_token /
// add_eos_token, chat templates), special_tokens_map.json,
// generation_config.json (EOS ids) and chat_template.jinja or
// chat_template.json, whose template wins over tokenizer_config.json's.
// A missing tokenizer.json or any malformed file gives a *LoadError.
func Load(dir string) (*Tokenizer, error) {
	data, err := os.ReadFile(filepath.Join(dir, fileTokenizer))
	if err != nil {
		return nil, &LoadError{File: fileTokenizer, Err: err}
	}
	t, err := FromJSON(data)
	if err != nil {
		return nil, err
	}
	cfg := &tokenizerConfig{Named: map[string]tokenValue{}, Extra: map[string]tokenValue{}}
	if b, ok, err := readOptional(dir, fileTokenizerConfig); err != nil {
		return nil, err
	} else if ok {
		if cfg, err = parseTokenizerConfig(b); err != nil {
			return nil, toLoadError(fileTokenizerConfig, err)
		}
	}
	if b, ok, err := readOptional(dir, fileSpecialTokensMap); err != nil {
		return nil, err
	} else if ok {
		m, err := parseTokenizerConfig(b)
		if err != nil {
			return nil, toLoadError(fileSpecialTokensMap, err)
		}
		cfg.mergeMissing(m)
	}
	var gen *generationConfig
	if b, ok, err := readOptional(dir, fileGenerationConfig); err != nil {
		return nil, err
	} else if ok {
		if gen, err = parseGenerationConfig(b); err != nil {
			return nil, toLoadError(fileGenerationConfig, err)
		}
	}
	if b, ok, err := readOptional(dir, fileChatTemplateJSON); err != nil {
		return nil, err
	} else if ok {
		var j struct {
			ChatTemplate chatTemplates `json:"chat_template"`
		}
		if err := json.Unmarshal(b, &j); err != nil {
			return nil, toLoadError(fileChatTemplateJSON, atField("chat_template", err))
		}
		if cfg.ChatTemplate == nil {
			cfg.ChatTemplate = chatTemplates{}
		}
		for k, v := range j.ChatTemplate {
			cfg.ChatTemplate[k] = v
		}
	}
	if b, ok, err := readOptional(dir, fileChatTemplateJinj); err != nil {
		return nil, err
	} else if ok {
		if cfg.ChatTemplate == nil {
			cfg.ChatTemplate = chatTemplates{}
		}
		cfg.ChatTemplate["default"] = string(b)
	}
	if err := readExtraTemplates(dir, cfg); err != nil {
		return nil, err
	}
	t.configure(cfg, gen)
	return t, nil
}

// readOptional reads dir/name; a missing file is not an error.
func readOptional(dir, name string) ([]byte, bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, &LoadError{File: name, Err: err}
	}
	return b, true, nil
}

// readExtraTemplates reads additional_chat_templates/<name>.jinja.
func readExtraTemplates(dir string, cfg *tokenizerConfig) error {
	entries, err := os.ReadDir(filepath.Join(dir, dirExtraTemplates))
	if err != nil {
		return nil // absent or not a folder: nothing to add
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".jinja")
		if !ok || e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, dirExtraTemplates, e.Name()))
		if err != nil {
			return &LoadError{File: filepath.Join(dirExtraTemplates, e.Name()), Err: err}
		}
		if cfg.ChatTemplate == nil {
			cfg.ChatTemplate = chatTemplates{}
		}
		cfg.ChatTemplate[name] = string(b)
	}
	return nil
}

// configure applies the transformers side files the way transformers'
// TokenizersBackend does: named special tokens become special added tokens,
// an explicit add_bos_token/add_eos_token (or a missing post-processor)
// rebuilds the post-processor, and the EOS ids of generation_config.json
// join the configured one.
func (t *Tokenizer) configure(cfg *tokenizerConfig, gen *generationConfig) {
	ids := make([]int32, 0, len(cfg.AddedDecoder))
	for id := range cfg.AddedDecoder {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		a := cfg.AddedDecoder[id]
		if _, ok := t.addedByStr[a.Content]; !ok {
			if _, taken := t.addedByID[id]; !taken {
				t.addToken(&a)
			}
		}
	}
	named := []tokenValue{cfg.BOS, cfg.EOS, cfg.UNK, cfg.PAD}
	for _, k := range []string{"sep_token", "cls_token", "mask_token"} {
		named = append(named, cfg.Named[k])
	}
	named = append(named, cfg.Additional...)
	for _, k := range sortedKeys(cfg.Extra) {
		named = append(named, cfg.Extra[k])
	}
	named = append(named, cfg.ExtraList...)
	for _, v := range named {
		if v.set && v.tok.Content != "" {
			t.addSpecial(v.tok)
		}
	}
	t.buildTries()

	if cfg.CleanUp != nil {
		t.cleanup = *cfg.CleanUp
	}
	if cfg.SplitSpecial != nil {
		t.splitSpecial = *cfg.SplitSpecial
	}
	t.bos = t.special(cfg.BOS)
	t.eos = t.special(cfg.EOS)
	t.pad = t.special(cfg.PAD)
	t.unk = t.special(cfg.UNK)
	if gen != nil {
		if t.bos.tok == "" && gen.BOS != nil {
			t.bos = specialToken{tok: t.Token(*gen.BOS), id: *gen.BOS}
		}
		if t.pad.tok == "" && gen.PAD != nil {
			t.pad = specialToken{tok: t.Token(*gen.PAD), id: *gen.PAD}
		}
		if t.eos.tok == "" && len(gen.EOS) > 0 {
			t.eos = specialToken{tok: t.Token(gen.EOS[0]), id: gen.EOS[0]}
		}
	}
	if t.eos.id >= 0 {
		t.eosIDs = append(t.eosIDs, t.eos.id)
	}
	if gen != nil {
		for _, id := range gen.EOS {
			if !containsID(t.eosIDs, id) {
				t.eosIDs = append(t.eosIDs, id)
			}
		}
	}

	if cfg.AddBOS != nil || cfg.AddEOS != nil || t.post == nil {
		var tp templateProc
		if boolOr(cfg.AddBOS, false) && t.bos.id >= 0 {
			tp.before = []int32{t.bos.id}
		}
		if boolOr(cfg.AddEOS, false) && t.eos.id >= 0 {
			tp.after = []int32{t.eos.id}
		}
		t.post = tp
	}

	t.specialVars = map[string]any{}
	for _, k := range sortedKeys(cfg.Named) {
		t.specialVars[k] = cfg.Named[k].tok.Content
	}
	for k, v := range cfg.Extra {
		t.specialVars[k] = v.tok.Content
	}
	for _, p := range []struct {
		key string
		v   tokenValue
	}{{"bos_token", cfg.BOS}, {"eos_token", cfg.EOS}, {"pad_token", cfg.PAD}, {"unk_token", cfg.UNK}} {
		if p.v.set {
			t.specialVars[p.key] = p.v.tok.Content
		}
	}
	if len(cfg.Additional) > 0 {
		list := make([]any, len(cfg.Additional))
		for i, v := range cfg.Additional {
			list[i] = v.tok.Content
		}
		t.specialVars["additional_special_tokens"] = list
	}
	for k, v := range cfg.ChatTemplate {
		t.templates[k] = v
	}
}

// addSpecial registers a named special token: an existing added token is
// marked special, a vocabulary token or a new one becomes a special added
// token that is matched before normalization.
func (t *Tokenizer) addSpecial(v addedToken) {
	if a, ok := t.addedByStr[v.Content]; ok {
		a.Special = true
		return
	}
	v.Special = true
	if id, ok := t.model.tokenToID(v.Content); ok {
		v.ID = id
	} else {
		v.ID = int32(t.VocabSize())
	}
	t.addToken(&v)
}

// special resolves a configured special token to its id.
func (t *Tokenizer) special(v tokenValue) specialToken {
	if !v.set || v.tok.Content == "" {
		return specialToken{id: -1}
	}
	id, ok := t.TokenID(v.tok.Content)
	if !ok {
		id = -1
	}
	return specialToken{tok: v.tok.Content, id: id}
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
