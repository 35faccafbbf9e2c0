package tokenizer

import (
	"strings"
	"unicode/utf8"
)

// StreamDecoder turns ids into text one id at a time, as a model generates
// them. Add returns only text that is complete: nothing is emitted while the
// decoded tail is an unfinished UTF-8 character or byte-fallback sequence
// (it decodes to U+FFFD). The pieces returned by Add and Flush concatenate
// to Decode of all the ids, for decoders that work token by token (byte
// level, byte fallback, Metaspace, WordPiece), as long as no byte sequence
// is cut short by another token (Decode then turns the whole run into
// U+FFFD, rewriting text already emitted; the stream goes on after it).
//
// A StreamDecoder is not safe for concurrent use.
type StreamDecoder struct {
	t      *Tokenizer
	skip   bool
	window []int32 // ids decoded together: context ids then pending ids
	ctx    int     // window[:ctx] is already emitted
	prefix string  // Decode(window[:ctx])
}

// NewStreamDecoder returns a StreamDecoder for t; skipSpecial drops special
// added tokens as Decode does.
func (t *Tokenizer) NewStreamDecoder(skipSpecial bool) *StreamDecoder {
	return &StreamDecoder{t: t, skip: skipSpecial}
}

// Add appends one id and returns the text it completes, possibly "".
func (d *StreamDecoder) Add(id int32) string {
	if d.skip && d.t.IsSpecial(id) {
		return ""
	}
	d.window = append(d.window, id)
	text := d.t.Decode(d.window, d.skip)
	if len(text) <= len(d.prefix) || strings.HasSuffix(text, "\uFFFD") {
		return ""
	}
	// The emitted context normally decodes to the same prefix. It cannot
	// when a decoder rewrites earlier text (a byte sequence cut by another
	// token turns into U+FFFD); then emit what follows the common part.
	out := text[commonPrefix(text, d.prefix):]
	// The ids just emitted become the context of the next step, so that
	// decoders that treat the first token specially see a non-first token.
	d.window = append(d.window[:0], d.window[d.ctx:]...)
	d.ctx = len(d.window)
	d.prefix = d.t.Decode(d.window, d.skip)
	return out
}

// Flush returns whatever text is still pending (an incomplete character
// decodes to U+FFFD) and resets the decoder.
func (d *StreamDecoder) Flush() string {
	text := d.t.Decode(d.window, d.skip)
	out := text[commonPrefix(text, d.prefix):]
	d.window, d.ctx, d.prefix = d.window[:0], 0, ""
	return out
}

// commonPrefix is the length of the longest common prefix of a and b, cut
// back to a UTF-8 character boundary of a.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && n < len(a) && !utf8.RuneStart(a[n]) {
		n--
	}
	return n
}
