// Package tokenizer reads Hugging Face tokenizers (tokenizer.json plus the
// transformers side files beside it) and encodes and decodes text exactly as
// the Rust `tokenizers` library does, in pure Go.
//
// The design first named github.com/daulet/tokenizers, a cgo binding to the
// Rust library. It needs a Rust static library for every target, which cannot
// be built here and would put cgo into every user's build, so this package
// implements the pipeline itself:
//
//	text ─ added tokens split out ─ normalizer ─ pre-tokenizer ─ model ─ post-processor ─ ids
//	ids ─ tokens (special ones optionally dropped) ─ decoder ─ text
//
// Models: BPE (byte-level or SentencePiece-style with byte fallback),
// Unigram, WordPiece and WordLevel. The regular expressions GPT-2, Llama 3
// and Qwen use for pre-tokenization need lookahead (\s+(?!\S)), which Go's
// regexp lacks; they are recognised by their exact pattern and run by
// hand-written matchers (regex_split.go). Other patterns ending in the same
// idiom run their head through Go's regexp and the whitespace rule by hand
// (regex_lookahead.go); the rest go through Go's regexp when it accepts
// them, with \s, \w and \d widened to Unicode as in HF's engine.
//
// Not implemented (Load reports an *UnsupportedError): the Precompiled
// (SentencePiece charsmap) normalizer, the UnicodeScripts pre-tokenizer and
// the CTC decoder. Offsets, pairs of sequences, truncation and padding are
// outside this package's job.
//
// [Load] reads a model folder (tokenizer.json, tokenizer_config.json,
// special_tokens_map.json, generation_config.json, chat_template.jinja or
// chat_template.json); [FromJSON] reads a bare tokenizer.json. A
// [Tokenizer] is safe for concurrent use. [Tokenizer.ApplyChatTemplate]
// renders conversations through the tokenizer/jinja engine with the variables
// transformers passes, and [StreamDecoder] turns generated ids into text
// incrementally.
package tokenizer
