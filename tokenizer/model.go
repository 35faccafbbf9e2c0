package tokenizer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// model turns one pre-tokenized piece into ids.
type model interface {
	tokenize(p piece, dst []int32) []int32
	tokenToID(s string) (int32, bool)
	idToToken(id int32) (string, bool)
	vocabSize() int
}

// modelJSON holds the fields of every model type.
type modelJSON struct {
	Type                    string          `json:"type"`
	Vocab                   json.RawMessage `json:"vocab"`
	Merges                  json.RawMessage `json:"merges"`
	UnkToken                *string         `json:"unk_token"`
	UnkID                   *int            `json:"unk_id"`
	ContinuingSubwordPrefix *string         `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string         `json:"end_of_word_suffix"`
	FuseUnk                 bool            `json:"fuse_unk"`
	ByteFallback            bool            `json:"byte_fallback"`
	IgnoreMerges            bool            `json:"ignore_merges"`
	MaxInputCharsPerWord    *int            `json:"max_input_chars_per_word"`
}

func strOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

func parseModel(raw json.RawMessage) (model, error) {
	if isNull(raw) {
		return nil, fmt.Errorf("missing")
	}
	j, err := decodeModelJSON(raw)
	if err != nil {
		return nil, err
	}
	typ := j.Type
	if typ == "" {
		switch {
		case len(j.Merges) > 0:
			typ = "BPE"
		case bytes.HasPrefix(bytes.TrimSpace(j.Vocab), []byte("[")):
			typ = "Unigram"
		case j.MaxInputCharsPerWord != nil:
			typ = "WordPiece"
		default:
			typ = "WordLevel"
		}
	}
	switch typ {
	case "BPE":
		// The two large values parse concurrently.
		var merges [][2]string
		var mergeErr error
		done := make(chan struct{})
		go func() {
			defer close(done)
			merges, mergeErr = parseMerges(j.Merges)
		}()
		vocab, err := parseVocabMap(j.Vocab)
		<-done
		if err != nil {
			return nil, atField("vocab", err)
		}
		if mergeErr != nil {
			return nil, atField("merges", mergeErr)
		}
		return newBPE(vocab, merges, strOr(j.UnkToken, ""), j.FuseUnk, j.ByteFallback, j.IgnoreMerges,
			strOr(j.ContinuingSubwordPrefix, ""), strOr(j.EndOfWordSuffix, ""))
	case "Unigram":
		var entries [][2]json.RawMessage
		if err := json.Unmarshal(j.Vocab, &entries); err != nil {
			return nil, atField("vocab", err)
		}
		pieces := make([]string, len(entries))
		scores := make([]float64, len(entries))
		for i, e := range entries {
			if err := json.Unmarshal(e[0], &pieces[i]); err != nil {
				return nil, atField(fmt.Sprintf("vocab[%d]", i), err)
			}
			if err := json.Unmarshal(e[1], &scores[i]); err != nil {
				return nil, atField(fmt.Sprintf("vocab[%d]", i), err)
			}
		}
		return newUnigram(pieces, scores, j.UnkID, j.ByteFallback)
	case "WordPiece":
		vocab, err := parseVocabMap(j.Vocab)
		if err != nil {
			return nil, atField("vocab", err)
		}
		maxChars := 100
		if j.MaxInputCharsPerWord != nil {
			maxChars = *j.MaxInputCharsPerWord
		}
		return newWordPiece(vocab, strOr(j.UnkToken, "[UNK]"), strOr(j.ContinuingSubwordPrefix, "##"), maxChars)
	case "WordLevel":
		vocab, err := parseVocabMap(j.Vocab)
		if err != nil {
			return nil, atField("vocab", err)
		}
		m := &wordLevelModel{vocab: vocab, tokens: newIDTable(vocab), unk: -1}
		if j.UnkToken != nil {
			id, ok := vocab[*j.UnkToken]
			if !ok {
				return nil, atField("unk_token", fmt.Errorf("%q is not in the vocabulary", *j.UnkToken))
			}
			m.unk = id
		}
		return m, nil
	}
	return nil, &UnsupportedError{Kind: "model", Type: typ}
}

// decodeModelJSON decodes the model object; the large vocab and merges
// values are kept raw for the fast scanner.
func decodeModelJSON(raw json.RawMessage) (*modelJSON, error) {
	members, err := fastObject(raw)
	if err != nil {
		var j modelJSON
		if err := json.Unmarshal(raw, &j); err != nil {
			return nil, err
		}
		return &j, nil
	}
	small := make(map[string]json.RawMessage, len(members))
	for k, v := range members {
		if k != "vocab" && k != "merges" {
			small[k] = v
		}
	}
	b, err := json.Marshal(small)
	if err != nil {
		return nil, err
	}
	var j modelJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, err
	}
	j.Vocab, j.Merges = members["vocab"], members["merges"]
	return &j, nil
}

func parseVocabMap(raw json.RawMessage) (map[string]int32, error) {
	v, err := fastVocab(raw)
	if err != nil {
		v = nil
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
	}
	for tok, id := range v {
		if id < 0 {
			return nil, fmt.Errorf("token %q has negative id %d", tok, id)
		}
	}
	return v, nil
}

// parseMerges reads merges written as "a b" strings or as ["a", "b"] pairs.
func parseMerges(raw json.RawMessage) ([][2]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	pairs, lines, err := fastMerges(raw)
	if err != nil {
		if err := json.Unmarshal(raw, &pairs); err == nil {
			return pairs, nil
		}
		if err := json.Unmarshal(raw, &lines); err != nil {
			return nil, fmt.Errorf("want a list of \"a b\" strings or [a, b] pairs: %w", err)
		}
	} else if lines == nil {
		return pairs, nil
	}
	pairs = make([][2]string, len(lines))
	for i, l := range lines {
		a, b, ok := strings.Cut(l, " ")
		if !ok || strings.Contains(b, " ") {
			return nil, fmt.Errorf("[%d]: %q is not two tokens separated by one space", i, l)
		}
		pairs[i] = [2]string{a, b}
	}
	return pairs, nil
}
