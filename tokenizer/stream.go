package tokenizer

import "strings"

// StreamDecoder turns ids into text one id at a time, as a model generates
// them. Add returns only text that is complete: nothing is emitted while the
// decoded tail is an unfinished UTF-8 character or byte-fallback sequence
// (it decodes to U+FFFD). The pieces returned by Add and Flush concatenate
// to Decode of all the ids, for decoders that work token by token (byte
// level, byte fallback, Metaspace, WordPiece), as long as the ids do not
// end in a byte sequence that never completes.
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
	if len(text) <= len(d.prefix) || strings.HasSuffix(text, "\uFFFD") || !strings.HasPrefix(text, d.prefix) {
		return ""
	}
	out := text[len(d.prefix):]
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
	out := ""
	if len(text) > len(d.prefix) && strings.HasPrefix(text, d.prefix) {
		out = text[len(d.prefix):]
	}
	d.window, d.ctx, d.prefix = d.window[:0], 0, ""
	return out
}
