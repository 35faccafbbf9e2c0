package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/govlm/govlm/tokenizer/jinja"
)

// Tokenizer encodes text to token ids and decodes ids to text. It is safe
// for concurrent use.
type Tokenizer struct {
	model      model
	normalizer normalizer
	pre        preTokenizer
	post       postProcessor
	dec        decoder

	added      []*addedToken          // in file order
	addedByID  map[int32]*addedToken  // id → token
	addedByStr map[string]*addedToken // content → token
	rawTrie    *tokenTrie             // tokens matched before normalization
	normTrie   *tokenTrie             // tokens matched after normalization

	cleanup      bool // transformers' clean_up_tokenization_spaces
	splitSpecial bool // transformers' split_special_tokens: special tokens in text are not matched

	bos, eos, pad, unk specialToken
	eosIDs             []int32
	specialVars        map[string]any // special tokens by tokenizer_config name, for templates
	templates          map[string]string
	templateMu         sync.Mutex
	compiled           map[string]*jinja.Template // parsed templates by source
}

// specialToken is a configured special token; id is -1 when the string is
// not in the vocabulary.
type specialToken struct {
	tok string
	id  int32
}

// tokenizerJSON is the top level of tokenizer.json.
type tokenizerJSON struct {
	AddedTokens   []addedToken    `json:"added_tokens"`
	Normalizer    json.RawMessage `json:"normalizer"`
	PreTokenizer  json.RawMessage `json:"pre_tokenizer"`
	Model         json.RawMessage `json:"model"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Decoder       json.RawMessage `json:"decoder"`
}

// decodeTokenizerJSON splits the top level with the fast scanner, so that
// the large model value is scanned once, and decodes the small members with
// encoding/json. Input the scanner rejects goes through encoding/json
// whole, which reports the error.
func decodeTokenizerJSON(data []byte) (*tokenizerJSON, error) {
	var j tokenizerJSON
	members, err := fastObject(data)
	if err != nil {
		if err := json.Unmarshal(data, &j); err != nil {
			return nil, err
		}
		return &j, nil
	}
	if raw, ok := members["added_tokens"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &j.AddedTokens); err != nil {
			return nil, atField("added_tokens", err)
		}
	}
	j.Normalizer = members["normalizer"]
	j.PreTokenizer = members["pre_tokenizer"]
	j.Model = members["model"]
	j.PostProcessor = members["post_processor"]
	j.Decoder = members["decoder"]
	return &j, nil
}

// FromJSON builds a tokenizer from the contents of a tokenizer.json file.
// Errors are *LoadError values naming the offending field.
func FromJSON(data []byte) (*Tokenizer, error) {
	t, err := fromJSON(data)
	if err != nil {
		return nil, toLoadError("tokenizer.json", err)
	}
	return t, nil
}

// toLoadError wraps err as a *LoadError for file, lifting a field path.
func toLoadError(file string, err error) error {
	if fe, ok := err.(*fieldError); ok {
		return &LoadError{File: file, Field: fe.field, Err: fe.err}
	}
	return &LoadError{File: file, Err: err}
}

func fromJSON(data []byte) (*Tokenizer, error) {
	j, err := decodeTokenizerJSON(data)
	if err != nil {
		return nil, err
	}
	t := &Tokenizer{
		addedByID:  map[int32]*addedToken{},
		addedByStr: map[string]*addedToken{},
		bos:        specialToken{id: -1},
		eos:        specialToken{id: -1},
		pad:        specialToken{id: -1},
		unk:        specialToken{id: -1},
		templates:  map[string]string{},
	}
	if t.model, err = parseModel(j.Model); err != nil {
		return nil, atField("model", err)
	}
	if t.normalizer, err = parseNormalizer(j.Normalizer); err != nil {
		return nil, atField("normalizer", err)
	}
	if t.pre, err = parsePreTokenizer(j.PreTokenizer); err != nil {
		return nil, atField("pre_tokenizer", err)
	}
	if t.post, err = parsePostProcessor(j.PostProcessor); err != nil {
		return nil, atField("post_processor", err)
	}
	if t.dec, err = parseDecoder(j.Decoder); err != nil {
		return nil, atField("decoder", err)
	}
	for i := range j.AddedTokens {
		a := j.AddedTokens[i]
		if a.Content == "" {
			return nil, atField(fmt.Sprintf("added_tokens[%d].content", i), fmt.Errorf("empty token"))
		}
		if a.ID < 0 {
			return nil, atField(fmt.Sprintf("added_tokens[%d].id", i), fmt.Errorf("negative id %d", a.ID))
		}
		t.addToken(&a)
	}
	t.buildTries()
	return t, nil
}

// addToken registers an added token; a token already known by content is
// left as it is.
func (t *Tokenizer) addToken(a *addedToken) {
	if _, ok := t.addedByStr[a.Content]; ok {
		return
	}
	t.added = append(t.added, a)
	t.addedByID[a.ID] = a
	t.addedByStr[a.Content] = a
}

func (t *Tokenizer) buildTries() {
	var raw, nrm []*addedToken
	for _, a := range t.added {
		if a.Normalized && t.normalizer != nil {
			nrm = append(nrm, a)
		} else {
			raw = append(raw, a)
		}
	}
	t.rawTrie = newTokenTrie(raw)
	t.normTrie = newTokenTrie(nrm)
}

// Encode returns the token ids of text. With addSpecial the post-processor
// adds the model's special tokens (for example a leading <bos>).
func (t *Tokenizer) Encode(text string, addSpecial bool) []int32 {
	ids := t.encodeText(text, make([]int32, 0, len(text)/3+4))
	if addSpecial && t.post != nil {
		ids = t.post.process(ids)
	}
	return ids
}

// encodeText runs added-token extraction, normalization, pre-tokenization
// and the model, appending ids to dst.
func (t *Tokenizer) encodeText(text string, dst []int32) []int32 {
	var spanBuf [16]tokSpan
	spans := t.rawTrie.split(text, spanBuf[:0], t.splitSpecial)
	for _, sp := range spans {
		if sp.tok >= 0 {
			dst = append(dst, t.rawTrie.toks[sp.tok].ID)
			continue
		}
		seg := text[sp.start:sp.end]
		origin := sp.start == 0
		if t.normalizer != nil {
			seg = t.normalizer.normalize(seg)
		}
		var inner [8]tokSpan
		for _, sp2 := range t.normTrie.split(seg, inner[:0], t.splitSpecial) {
			if sp2.tok >= 0 {
				dst = append(dst, t.normTrie.toks[sp2.tok].ID)
				continue
			}
			dst = t.encodePiece(piece{s: seg[sp2.start:sp2.end], origin: origin && sp2.start == 0}, dst)
		}
	}
	return dst
}

// encodePiece pre-tokenizes one stretch of normalized text and runs the
// model on every resulting piece.
func (t *Tokenizer) encodePiece(p piece, dst []int32) []int32 {
	if p.s == "" {
		return dst
	}
	if t.pre == nil {
		return t.model.tokenize(p, dst)
	}
	t.pre.preTokenize(p, func(q piece) { dst = t.model.tokenize(q, dst) })
	return dst
}

// Decode turns ids back into text. With skipSpecial, added tokens marked
// special are left out. Ids outside the vocabulary are ignored.
func (t *Tokenizer) Decode(ids []int32, skipSpecial bool) string {
	toks := make([]string, 0, len(ids))
	for _, id := range ids {
		if a, ok := t.addedByID[id]; ok {
			if skipSpecial && a.Special {
				continue
			}
			toks = append(toks, a.Content)
			continue
		}
		if s, ok := t.model.idToToken(id); ok {
			toks = append(toks, s)
		}
	}
	return t.decodeTokens(toks)
}

func (t *Tokenizer) decodeTokens(toks []string) string {
	var out string
	if t.dec == nil {
		out = strings.Join(toks, " ")
	} else {
		out = strings.Join(t.dec.decode(toks), "")
	}
	if t.cleanup {
		out = cleanupSpaces(out, false)
	}
	return out
}

// TokenID returns the id of a token string (added tokens first, then the
// model's vocabulary).
func (t *Tokenizer) TokenID(token string) (int32, bool) {
	if a, ok := t.addedByStr[token]; ok {
		return a.ID, true
	}
	return t.model.tokenToID(token)
}

// Token returns the token string of id, or "" when no token has that id.
func (t *Tokenizer) Token(id int32) string {
	if a, ok := t.addedByID[id]; ok {
		return a.Content
	}
	s, _ := t.model.idToToken(id)
	return s
}

// VocabSize is one more than the largest id of any token, model or added:
// the number of rows an embedding table needs.
func (t *Tokenizer) VocabSize() int {
	n := t.model.vocabSize()
	for id := range t.addedByID {
		if int(id) >= n {
			n = int(id) + 1
		}
	}
	return n
}

// IsSpecial reports whether id is an added token marked special.
func (t *Tokenizer) IsSpecial(id int32) bool {
	a, ok := t.addedByID[id]
	return ok && a.Special
}
