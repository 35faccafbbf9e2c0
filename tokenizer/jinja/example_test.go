package jinja_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/govlm/govlm/tokenizer/jinja"
)

func Example() {
	const src = `{%- for m in messages -%}
<|{{ m.role }}|>{{ m.content | trim }}
{% endfor -%}
{%- if tools %}tools: {{ tools | tojson }}
{% endif -%}
{%- if add_generation_prompt %}<|assistant|>{% endif %}`
	tmpl, err := jinja.Parse("chat_template", src, jinja.Options{TrimBlocks: true, LstripBlocks: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	// DecodeJSON keeps the key order of tool schemas, as Python's json does.
	tools, _ := jinja.DecodeJSON([]byte(`[{"name": "get_weather", "arguments": {"city": "str"}}]`))
	out, err := tmpl.Render(map[string]any{
		"messages": []map[string]any{
			{"role": "system", "content": " Be brief. "},
			{"role": "user", "content": "Weather?"},
		},
		"tools":                 tools,
		"add_generation_prompt": true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(out)
	// Output:
	// <|system|>Be brief.
	// <|user|>Weather?
	// tools: [{"name": "get_weather", "arguments": {"city": "str"}}]
	// <|assistant|>
}

func ExampleError() {
	tmpl, _ := jinja.Parse("chat_template", `{% if messages[0].role != 'user' %}
{{ raise_exception('Conversation must start with a user message') }}
{% endif %}`, jinja.Options{TrimBlocks: true, LstripBlocks: true})
	_, err := tmpl.Render(map[string]any{"messages": []any{map[string]any{"role": "assistant"}}})
	var je *jinja.Error
	if errors.As(err, &je) && je.Kind == jinja.KindRaised {
		fmt.Printf("refused at line %d: %s\n", je.Line, je.Msg)
	}
	// Output:
	// refused at line 2: Conversation must start with a user message
}

func ExampleStrftimeNow() {
	tmpl, _ := jinja.Parse("t", `Today Date: {{ strftime_now("%d %b %Y") }}`, jinja.Options{})
	fixed := func() time.Time { return time.Date(2024, time.July, 26, 0, 0, 0, 0, time.UTC) }
	out, _ := tmpl.Render(map[string]any{"strftime_now": jinja.StrftimeNow(fixed)})
	fmt.Println(out)
	// Output:
	// Today Date: 26 Jul 2024
}
