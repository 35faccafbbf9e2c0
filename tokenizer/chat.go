package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/govlm/govlm/tokenizer/jinja"
)

// ChatOptions configures ApplyChatTemplate.
type ChatOptions struct {
	// AddGenerationPrompt appends the header of an assistant turn.
	AddGenerationPrompt bool
	// Tools are the function specs passed to the template as tools (nil
	// when empty, as transformers passes None).
	Tools []map[string]any
	// Documents are passed as documents (nil when empty).
	Documents []map[string]any
	// Extra holds further template variables, e.g. "enable_thinking"; they
	// override the special-token variables of the same name.
	Extra map[string]any
	// Template is the name of one of the model's templates or a literal
	// template; "" picks "tool_use" when Tools are given and such a template
	// exists, else "default".
	Template string
	// Now is the clock of strftime_now (time.Now when nil).
	Now func() time.Time
}

// chatKeyOrder is the key order used when a Go map (whose order is lost)
// is handed to a template: the order of OpenAI-style messages and tool
// specs, so tojson prints them as transformers would from the usual JSON.
// Other keys follow in sorted order. Pass *jinja.OrderedMap values to
// control the order exactly.
var chatKeyOrder = map[string]int{
	"id": 1, "type": 2, "role": 3, "name": 4, "description": 5, "content": 6, "text": 7,
	"function": 8, "arguments": 9, "parameters": 10, "properties": 11, "required": 12,
	"enum": 13, "tool_calls": 14,
}

// toOrdered converts maps into *jinja.OrderedMap values in chatKeyOrder,
// recursively; other values are returned unchanged.
func toOrdered(v any) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			ri, rj := chatKeyOrder[keys[i]], chatKeyOrder[keys[j]]
			if ri == 0 {
				ri = 1 << 30
			}
			if rj == 0 {
				rj = 1 << 30
			}
			if ri != rj {
				return ri < rj
			}
			return keys[i] < keys[j]
		})
		m := jinja.NewOrderedMap()
		for _, k := range keys {
			m.Set(k, toOrdered(x[k]))
		}
		return m
	case *jinja.OrderedMap:
		m := jinja.NewOrderedMap()
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			m.Set(k, toOrdered(e))
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toOrdered(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toOrdered(e)
		}
		return out
	}
	return v
}

// ChatTemplate returns the chat template source of the given name ("" or
// "default" for the default template).
func (t *Tokenizer) ChatTemplate(name string) (string, bool) {
	if name == "" {
		name = "default"
	}
	s, ok := t.templates[name]
	return s, ok
}

// ChatTemplateNames lists the names of the model's chat templates, sorted.
func (t *Tokenizer) ChatTemplateNames() []string { return sortedKeys(t.templates) }

// pickTemplate resolves ChatOptions.Template to a name and source, as
// transformers' get_chat_template does.
func (t *Tokenizer) pickTemplate(opts *ChatOptions) (name, src string, err error) {
	if opts.Template != "" {
		if s, ok := t.templates[opts.Template]; ok {
			return opts.Template, s, nil
		}
		return "literal", opts.Template, nil
	}
	if len(opts.Tools) > 0 {
		if s, ok := t.templates["tool_use"]; ok {
			return "tool_use", s, nil
		}
	}
	if s, ok := t.templates["default"]; ok {
		return "default", s, nil
	}
	if len(t.templates) == 0 {
		return "default", "", errors.New("the tokenizer has no chat template (tokenizer_config.json, chat_template.jinja and chat_template.json give none)")
	}
	return "default", "", fmt.Errorf("no default template; choose one of %v with ChatOptions.Template", t.ChatTemplateNames())
}

// compile parses a template once and caches it by source.
func (t *Tokenizer) compile(name, src string) (*jinja.Template, error) {
	t.templateMu.Lock()
	defer t.templateMu.Unlock()
	if tp, ok := t.compiled[src]; ok {
		return tp, nil
	}
	tp, err := jinja.Parse(name, src, jinja.Options{TrimBlocks: true, LstripBlocks: true})
	if err != nil {
		return nil, err
	}
	if t.compiled == nil {
		t.compiled = map[string]*jinja.Template{}
	}
	t.compiled[src] = tp
	return tp, nil
}

// ApplyChatTemplate renders a conversation with the model's chat template,
// passing the variables transformers passes: messages, tools, documents,
// add_generation_prompt, the special tokens of tokenizer_config.json
// (bos_token, eos_token, pad_token, unk_token, additional and extra special
// tokens), raise_exception, strftime_now, and opts.Extra. The result is
// text; encode it with Encode(s, false), since templates write the special
// tokens themselves. Errors are *TemplateError values wrapping the
// template engine's *jinja.Error.
func (t *Tokenizer) ApplyChatTemplate(messages []map[string]any, opts ChatOptions) (string, error) {
	name, src, err := t.pickTemplate(&opts)
	if err != nil {
		return "", &TemplateError{Name: name, Err: err}
	}
	tp, err := t.compile(name, src)
	if err != nil {
		return "", &TemplateError{Name: name, Err: err}
	}
	vars := make(map[string]any, len(t.specialVars)+len(opts.Extra)+6)
	for k, v := range t.specialVars {
		vars[k] = v
	}
	msgs := make([]any, len(messages))
	for i, m := range messages {
		msgs[i] = toOrdered(m)
	}
	vars["messages"] = msgs
	vars["add_generation_prompt"] = opts.AddGenerationPrompt
	vars["tools"] = nil
	if len(opts.Tools) > 0 {
		vars["tools"] = toOrdered(opts.Tools)
	}
	vars["documents"] = nil
	if len(opts.Documents) > 0 {
		vars["documents"] = toOrdered(opts.Documents)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	vars["strftime_now"] = jinja.StrftimeNow(now)
	for k, v := range opts.Extra {
		vars[k] = toOrdered(v)
	}
	out, err := tp.Render(vars)
	if err != nil {
		return "", &TemplateError{Name: name, Err: err}
	}
	return out, nil
}

// DecodeMessages decodes a JSON list of chat messages for ApplyChatTemplate,
// keeping the key order of nested objects (tool specs, tool-call
// arguments) so that templates that print them with tojson match
// transformers.
func DecodeMessages(data []byte) ([]map[string]any, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("tokenizer: messages: want a JSON list of objects: %w", err)
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		v, err := jinja.DecodeJSON(r)
		if err != nil {
			return nil, fmt.Errorf("tokenizer: messages[%d]: %w", i, err)
		}
		om, ok := v.(*jinja.OrderedMap)
		if !ok {
			return nil, fmt.Errorf("tokenizer: messages[%d]: want a JSON object", i)
		}
		m := make(map[string]any, om.Len())
		for _, k := range om.Keys() {
			m[k], _ = om.Get(k)
		}
		out[i] = m
	}
	return out, nil
}

// EncodeChat renders a conversation with ApplyChatTemplate and encodes the
// result without adding special tokens (the template writes them), as
// transformers' apply_chat_template(tokenize=True) does.
func (t *Tokenizer) EncodeChat(messages []map[string]any, opts ChatOptions) ([]int32, error) {
	s, err := t.ApplyChatTemplate(messages, opts)
	if err != nil {
		return nil, err
	}
	return t.Encode(s, false), nil
}
