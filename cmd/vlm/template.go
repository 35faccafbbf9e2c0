package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/govlm/govlm/tokenizer"
	"github.com/govlm/govlm/tokenizer/jinja"
)

func runTemplate(args []string, stdout, stderr io.Writer, _ io.Reader) error {
	fs := newFlagSet("template", stderr)
	model := fs.String("model", DefaultModel, "hub id or local model folder")
	messagesFile := fs.String("messages", "", `JSON file: a list of messages, or {"messages": [...], "tools": [...], ...extra variables}`)
	addGen := fs.Bool("add-generation-prompt", false, "end with the header of an assistant turn")
	name := fs.String("template", "", "template name (for models with several) or a literal template")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *messagesFile == "" {
		fmt.Fprintln(stderr, "vlm template: --messages FILE.json is required")
		return errUsage
	}
	data, err := os.ReadFile(*messagesFile)
	if err != nil {
		return err
	}
	messages, opts, err := parseMessagesFile(data)
	if err != nil {
		return fmt.Errorf("%s: %w", *messagesFile, err)
	}
	opts.AddGenerationPrompt = *addGen
	opts.Template = *name
	tok, err := loadTokenizer(context.Background(), *model, stderr)
	if err != nil {
		return err
	}
	out, err := tok.ApplyChatTemplate(messages, opts)
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, out)
	return err
}

// parseMessagesFile reads a conversation for a chat template. Objects keep
// the key order of the file (tool schemas render with tojson in that order).
func parseMessagesFile(data []byte) ([]map[string]any, tokenizer.ChatOptions, error) {
	var opts tokenizer.ChatOptions
	v, err := jinja.DecodeJSON(data)
	if err != nil {
		return nil, opts, err
	}
	var list []any
	switch x := v.(type) {
	case []any:
		list = x
	case *jinja.OrderedMap:
		for _, k := range x.Keys() {
			val, _ := x.Get(k)
			switch k {
			case "messages":
				l, ok := val.([]any)
				if !ok {
					return nil, opts, fmt.Errorf(`"messages" must be a list`)
				}
				list = l
			case "tools":
				l, ok := val.([]any)
				if !ok {
					return nil, opts, fmt.Errorf(`"tools" must be a list`)
				}
				for i, t := range l {
					m, ok := t.(*jinja.OrderedMap)
					if !ok {
						return nil, opts, fmt.Errorf("tools[%d] must be an object", i)
					}
					opts.Tools = append(opts.Tools, shallowMap(m))
				}
			default:
				if opts.Extra == nil {
					opts.Extra = map[string]any{}
				}
				opts.Extra[k] = val
			}
		}
	default:
		return nil, opts, fmt.Errorf("want a list of messages or an object with \"messages\"")
	}
	messages := make([]map[string]any, len(list))
	for i, m := range list {
		om, ok := m.(*jinja.OrderedMap)
		if !ok {
			return nil, opts, fmt.Errorf("messages[%d] must be an object", i)
		}
		messages[i] = shallowMap(om)
	}
	return messages, opts, nil
}

// shallowMap copies the top level of m into a Go map, keeping nested
// ordered maps as they are.
func shallowMap(m *jinja.OrderedMap) map[string]any {
	out := make(map[string]any, m.Len())
	for _, k := range m.Keys() {
		out[k], _ = m.Get(k)
	}
	return out
}
