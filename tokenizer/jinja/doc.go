// Package jinja renders Hugging Face chat templates: a Jinja2 engine with
// the semantics transformers uses in apply_chat_template (an immutable
// sandbox with trim_blocks, lstrip_blocks and loop controls, its own tojson
// filter and the raise_exception and strftime_now globals).
//
// We wrote our own engine because the Go Jinja libraries we tried do not
// render real templates exactly: gonja v2 fails to parse Gemma 3's template
// (a conditional expression in parentheses) and its tojson sorts keys with
// compact separators, while pongo2 lacks namespace(), slice steps and the
// Python string methods that Qwen3's template calls.
//
// Use:
//
//	t, err := jinja.Parse("chat_template", src, jinja.Options{TrimBlocks: true, LstripBlocks: true})
//	out, err := t.Render(map[string]any{"messages": msgs, "add_generation_prompt": true})
//
// Values follow Python: None prints as "None", True as "True", lists and
// dicts as their repr, floats as Python's repr. Dicts keep insertion order
// when passed as *OrderedMap (DecodeJSON builds those from JSON); plain Go
// maps iterate in sorted key order. Every error is an *Error carrying the
// template line and an ErrorKind; Render never panics on user input and is
// bounded by Options' step, output and call-depth limits.
//
// Supported: if/elif/else, for (loop.*, tuple unpacking, inline if, else,
// break/continue), set (names, tuples, namespace attributes, block set),
// macro with defaults, varargs and kwargs, call blocks, filter blocks, with,
// raw, comments, generation blocks; Python operators, comparisons, slicing,
// string/dict/list methods; the Jinja2 filters and tests chat templates use.
// Not supported: include/import/extends/block (templates are single files),
// recursive loops, *args/**kwargs in calls.
//
// One deliberate difference from Jinja2: an attribute or item of an
// undefined value is undefined instead of an error, so `a.b is defined`
// works even when a is missing.
package jinja
