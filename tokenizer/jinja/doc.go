// Package jinja renders Hugging Face chat templates: a Jinja2 engine with
// the semantics transformers uses in apply_chat_template (an immutable
// sandbox with trim_blocks, lstrip_blocks and loop controls, its own tojson
// filter and the raise_exception and strftime_now globals).
//
// We tried gonja v2 and pongo2 v6 on the shared goldens and neither renders
// them: gonja v2 cannot parse Gemma 3's template (a conditional expression
// in parentheses) and its tojson sorts keys with compact separators, and
// pongo2 rejects both templates in its lexer ("\n" escapes, newlines inside
// strings). HF templates also lean on Python semantics (str methods, repr
// printing, json.dumps spacing, namespace()) that those libraries do not
// model, so this package implements the subset transformers needs itself.
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
// Supported: if/elif/else; for with loop.*, tuple unpacking, inline if,
// else, break/continue and recursive loops; set (names, tuples, namespace
// attributes, block set); macro with defaults, varargs and kwargs; call
// blocks, filter blocks, with, raw, comments and generation blocks; Python
// operators, comparisons, slicing, string/dict/list methods and *args and
// **kwargs in calls; the Jinja2 filters and tests chat templates use.
//
// Not supported: include/import/extends/block (templates are single files);
// the filters groupby, slice, pprint, random, striptags, urlencode, urlize,
// wordwrap, xmlattr and filesizeformat and the globals lipsum, cycler and
// joiner (none appear in chat templates we know of); integers beyond int64
// (an overflow is an error); printing lazy objects (filters such as map and
// select return lists where jinja2 would print a generator).
//
// Deliberate differences from Jinja2: an attribute or item of an undefined
// value is undefined instead of an error, so `a.b is defined` works even
// when a is missing. Float ** float uses Go's math.Pow, which can differ
// from C's pow in the last bit.
//
// Conformance is tested differentially: testdata holds outputs rendered by
// Python's jinja2 configured as transformers configures it (the gen_*.py
// scripts there regenerate them) for real chat templates, per-feature
// cases, and random expressions, whitespace-control and control-flow
// templates.
package jinja
