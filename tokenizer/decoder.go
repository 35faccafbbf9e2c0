package tokenizer

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decoder turns the token strings of a sequence back into text pieces; the
// pieces are concatenated by the caller.
type decoder interface {
	decode(toks []string) []string
}

type byteLevelDec struct{}

func (byteLevelDec) decode(toks []string) []string {
	var buf []byte
	for _, t := range toks {
		buf = byteLevelDecode(buf, t)
	}
	return []string{lossyUTF8(buf)}
}

// metaspaceDec turns the marker back into spaces and drops the prefix space
// the pre-tokenizer added in front of the first token.
type metaspaceDec struct {
	replacement string
	scheme      prependScheme
}

func (d metaspaceDec) decode(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		if i == 0 && d.scheme != prependNever {
			out[i] = strings.ReplaceAll(t, d.replacement, "")
		} else {
			out[i] = strings.ReplaceAll(t, d.replacement, " ")
		}
	}
	return out
}

type replaceDec struct {
	pat     matcher
	content string
}

func (d replaceDec) decode(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = replaceAll(t, d.pat, d.content)
	}
	return out
}

// byteFallbackDec joins runs of <0xXX> tokens into their bytes; a run that
// is not valid UTF-8 becomes one U+FFFD per byte.
type byteFallbackDec struct{}

func hexByteToken(t string) (byte, bool) {
	if len(t) != 6 || t[0] != '<' || t[1] != '0' || t[2] != 'x' || t[5] != '>' {
		return 0, false
	}
	v, err := strconv.ParseUint(t[3:5], 16, 8)
	if err != nil {
		return 0, false
	}
	return byte(v), true
}

func (byteFallbackDec) decode(toks []string) []string {
	out := make([]string, 0, len(toks))
	var pend []byte
	flush := func() {
		if len(pend) == 0 {
			return
		}
		if utf8.Valid(pend) {
			out = append(out, string(pend))
		} else {
			for range pend {
				out = append(out, "\uFFFD")
			}
		}
		pend = pend[:0]
	}
	for _, t := range toks {
		if b, ok := hexByteToken(t); ok {
			pend = append(pend, b)
			continue
		}
		flush()
		out = append(out, t)
	}
	flush()
	return out
}

type fuseDec struct{}

func (fuseDec) decode(toks []string) []string { return []string{strings.Join(toks, "")} }

// stripDec removes up to start leading and stop trailing copies of content
// from every token.
type stripDec struct {
	content     string
	start, stop int
}

func (d stripDec) decode(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		for k := 0; k < d.start && strings.HasPrefix(t, d.content) && d.content != ""; k++ {
			t = t[len(d.content):]
		}
		for k := 0; k < d.stop && strings.HasSuffix(t, d.content) && d.content != ""; k++ {
			t = t[:len(t)-len(d.content)]
		}
		out[i] = t
	}
	return out
}

// wordPieceDec glues "##" continuations to the previous token and puts a
// space before the others.
type wordPieceDec struct {
	prefix  string
	cleanup bool
}

func (d wordPieceDec) decode(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		if i > 0 {
			if strings.HasPrefix(t, d.prefix) {
				t = strings.Replace(t, d.prefix, "", 1)
			} else {
				t = " " + t
			}
		}
		if d.cleanup {
			t = cleanupSpaces(t, true)
		}
		out[i] = t
	}
	return out
}

// bpeDec turns the end-of-word suffix into a space (none after the last
// token).
type bpeDec struct{ suffix string }

func (d bpeDec) decode(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		rep := " "
		if i == len(toks)-1 {
			rep = ""
		}
		out[i] = strings.ReplaceAll(t, d.suffix, rep)
	}
	return out
}

type sequenceDec []decoder

func (d sequenceDec) decode(toks []string) []string {
	for _, x := range d {
		toks = x.decode(toks)
	}
	return toks
}

// cleanupSpaces removes the spaces English tokenizers put before
// punctuation and contractions (transformers' clean_up_tokenization; the
// WordPiece decoder also turns " do not" into " don't").
func cleanupSpaces(s string, doNot bool) string {
	r := []string{" .", ".", " ?", "?", " !", "!", " ,", ",", " ' ", "'", " n't", "n't", " 'm", "'m"}
	if doNot {
		r = append(r, " do not", " don't")
	}
	r = append(r, " 's", "'s", " 've", "'ve", " 're", "'re")
	for i := 0; i < len(r); i += 2 {
		s = strings.ReplaceAll(s, r[i], r[i+1])
	}
	return s
}

// decoderJSON holds the fields of every decoder type.
type decoderJSON struct {
	Type           string            `json:"type"`
	Decoders       []json.RawMessage `json:"decoders"`
	Pattern        json.RawMessage   `json:"pattern"`
	Content        string            `json:"content"`
	Start          int               `json:"start"`
	Stop           int               `json:"stop"`
	Prefix         *string           `json:"prefix"`
	Cleanup        *bool             `json:"cleanup"`
	Suffix         *string           `json:"suffix"`
	Replacement    *string           `json:"replacement"`
	PrependScheme  string            `json:"prepend_scheme"`
	AddPrefixSpace *bool             `json:"add_prefix_space"`
	Split          *bool             `json:"split"`
}

// parseDecoder builds a decoder; JSON null gives nil.
func parseDecoder(raw json.RawMessage) (decoder, error) {
	if isNull(raw) {
		return nil, nil
	}
	var j decoderJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	switch j.Type {
	case "ByteLevel":
		return byteLevelDec{}, nil
	case "Metaspace":
		p, err := parseMetaspace(j.Replacement, j.PrependScheme, j.AddPrefixSpace, j.Split)
		if err != nil {
			return nil, err
		}
		return metaspaceDec{replacement: p.replacement, scheme: p.scheme}, nil
	case "Replace":
		pat, err := parsePattern(j.Pattern)
		if err != nil {
			return nil, atField("pattern", err)
		}
		return replaceDec{pat: pat, content: j.Content}, nil
	case "ByteFallback":
		return byteFallbackDec{}, nil
	case "Fuse":
		return fuseDec{}, nil
	case "Strip":
		return stripDec{content: j.Content, start: j.Start, stop: j.Stop}, nil
	case "WordPiece":
		prefix := "##"
		if j.Prefix != nil {
			prefix = *j.Prefix
		}
		return wordPieceDec{prefix: prefix, cleanup: boolOr(j.Cleanup, true)}, nil
	case "BPEDecoder":
		suffix := "</w>"
		if j.Suffix != nil {
			suffix = *j.Suffix
		}
		return bpeDec{suffix: suffix}, nil
	case "Sequence":
		seq := make(sequenceDec, 0, len(j.Decoders))
		for i, r := range j.Decoders {
			d, err := parseDecoder(r)
			if err != nil {
				return nil, atField(fmt.Sprintf("decoders[%d]", i), err)
			}
			if d != nil {
				seq = append(seq, d)
			}
		}
		return seq, nil
	}
	return nil, &UnsupportedError{Kind: "decoder", Type: j.Type}
}
