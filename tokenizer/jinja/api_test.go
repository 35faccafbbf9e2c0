package jinja

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

var hfOpts = Options{TrimBlocks: true, LstripBlocks: true}

func render(t *testing.T, src string, vars map[string]any) string {
	t.Helper()
	tmpl, err := Parse("test", src, hfOpts)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	out, err := tmpl.Render(vars)
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	return out
}

type point struct{ X, Y int }

// TestGoValues checks that the Go types callers pass are normalised to
// their Python counterparts.
func TestGoValues(t *testing.T) {
	ordered := NewOrderedMap()
	ordered.Set("z", 1)
	ordered.Set("a", []string{"x"})
	tests := []struct {
		name string
		src  string
		v    any
		want string
	}{
		{"[]map", "{{ v[1].role }} {{ v | length }}", []map[string]any{{"role": "a"}, {"role": "b"}}, "b 2"},
		{"[]string", "{{ v }}", []string{"a", "b"}, "['a', 'b']"},
		{"int32", "{{ v + 1 }}", int32(41), "42"},
		{"uint8", "{{ v * 2 }}", uint8(3), "6"},
		{"float32", "{{ v }}", float32(0.5), "0.5"},
		{"float64 whole", "{{ v }}", 3.0, "3.0"},
		{"json.Number int", "{{ v + 1 }}", json.Number("41"), "42"},
		{"json.Number float", "{{ v }}", json.Number("2.5"), "2.5"},
		{"json.RawMessage", "{{ v | tojson }} {{ v.b[0] }}", json.RawMessage(`{"z": 1, "b": [true]}`), `{"z": 1, "b": [true]} True`},
		{"map sorted", "{{ v | tojson }}", map[string]any{"b": 1, "a": 2}, `{"a": 2, "b": 1}`},
		{"map[string]string", "{{ v.k }}", map[string]string{"k": "val"}, "val"},
		{"ordered map", "{{ v | tojson }} {% for k, x in v.items() %}{{ k }}{% endfor %}", ordered, `{"z": 1, "a": ["x"]} za`},
		{"tuple", "{{ v }}", Tuple{1, "a"}, "(1, 'a')"},
		{"nil", "{{ v }} {{ v is none }}", nil, "None True"},
		{"pointer", "{{ v }}", func() *int { i := 7; return &i }(), "7"},
		{"nil slice", "{{ v | length }}", []int(nil), "0"},
		{"array", "{{ v }}", [2]bool{true, false}, "[True, False]"},
		{"func", "{{ v(1, k=2) }}", Func(func(args []any, kw map[string]any) (any, error) {
			return fmt.Sprint(args, kw["k"]), nil
		}), "[1] 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(t, tc.src, map[string]any{"v": tc.v}); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	tmpl, _ := Parse("test", "{{ v }}", hfOpts)
	_, err := tmpl.Render(map[string]any{"v": point{1, 2}})
	var je *Error
	if !errors.As(err, &je) || je.Kind != KindRuntime || !strings.Contains(je.Msg, "point") {
		t.Errorf("struct value: want a runtime *Error naming the type, got %v", err)
	}
}

func TestOrderedMapZeroValue(t *testing.T) {
	var m OrderedMap
	if _, ok := m.Get("a"); ok || m.Len() != 0 {
		t.Fatal("zero OrderedMap is not empty")
	}
	m.Set("b", 1)
	m.Set("a", 2)
	m.Set("b", 3)
	if got := render(t, "{{ m | tojson }}", map[string]any{"m": &m}); got != `{"b": 3, "a": 2}` {
		t.Errorf("got %s", got)
	}
}

func TestDecodeJSON(t *testing.T) {
	v, err := DecodeJSON([]byte(`{"name": "f", "params": {"z": 1, "a": [1.5, 2, null, true]}, "e": {}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(*OrderedMap)
	if got := strings.Join(m.Keys(), ","); got != "name,params,e" {
		t.Errorf("keys %q", got)
	}
	out := render(t, "{{ v | tojson }}|{{ v.params.a[1] + 1 }}", map[string]any{"v": v})
	if want := `{"name": "f", "params": {"z": 1, "a": [1.5, 2, null, true]}, "e": {}}|3`; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	var om OrderedMap
	if err := json.Unmarshal([]byte(`{"b": {"y": 1, "x": 2}, "a": 0}`), &om); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(&om)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"b":{"y":1,"x":2},"a":0}` {
		t.Errorf("round trip %s", b)
	}
	for _, bad := range []string{`{"a": 1} x`, `{"a": }`, `[1, 2`, ``} {
		if _, err := DecodeJSON([]byte(bad)); err == nil {
			t.Errorf("DecodeJSON(%q): want error", bad)
		}
	}
	if err := json.Unmarshal([]byte(`[1]`), &om); err == nil {
		t.Error("OrderedMap.UnmarshalJSON accepted an array")
	}
}

var errSentinel = errors.New("sentinel")

func TestErrors(t *testing.T) {
	failing := Func(func([]any, map[string]any) (any, error) { return nil, errSentinel })
	tests := []struct {
		name  string
		src   string
		kind  ErrorKind
		line  int
		msg   string // substring
		cause error
	}{
		{"syntax line", "a\nb\n{% if x %}\n{{ 1 + }}\n{% endif %}", KindSyntax, 4, "unexpected", nil},
		{"unclosed block", "x\n{% for a in b %}\n", KindSyntax, 2, "endfor", nil},
		{"unterminated string", "{{ 'abc }}", KindSyntax, 1, "string", nil},
		{"raised", "ok\n{{ raise_exception('Conversation roles must alternate') }}", KindRaised, 2, "Conversation roles must alternate", nil},
		{"runtime line", "{% for m in [1] %}\n\n{{ m + 'x' }}{% endfor %}", KindRuntime, 3, "unsupported operand", nil},
		{"func error", "\n{{ failing() }}", KindRuntime, 2, "sentinel", errSentinel},
		{"undefined call", "{{ nope() }}", KindRuntime, 1, "'nope' is undefined", nil},
		{"undefined method", "{{ x.strip() }}", KindRuntime, 1, "undefined", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := Parse("chat_template", tc.src, hfOpts)
			if err == nil {
				_, err = tmpl.Render(map[string]any{"failing": failing})
			}
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("want *Error, got %v", err)
			}
			if je.Kind != tc.kind || je.Line != tc.line || je.Name != "chat_template" || !strings.Contains(je.Msg, tc.msg) {
				t.Errorf("got kind=%v line=%d name=%q msg=%q; want kind=%v line=%d msg~%q", je.Kind, je.Line, je.Name, je.Msg, tc.kind, tc.line, tc.msg)
			}
			if tc.cause != nil && !errors.Is(err, tc.cause) {
				t.Errorf("error does not wrap its cause: %v", err)
			}
			if !strings.Contains(err.Error(), "chat_template:") {
				t.Errorf("Error() lacks the template name: %q", err.Error())
			}
		})
	}
}

// TestFuncReturningError keeps the kind of an *Error returned by a Func.
func TestFuncReturningError(t *testing.T) {
	custom := Func(func([]any, map[string]any) (any, error) {
		return nil, &Error{Kind: KindRaised, Msg: "custom refusal"}
	})
	tmpl, _ := Parse("t", "{{ raise_exception('x') }}", hfOpts)
	_, err := tmpl.Render(map[string]any{"raise_exception": custom})
	var je *Error
	if !errors.As(err, &je) || je.Kind != KindRaised || je.Msg != "custom refusal" || je.Name != "t" {
		t.Fatalf("got %#v", err)
	}
}

func TestLimits(t *testing.T) {
	small := Options{TrimBlocks: true, LstripBlocks: true, MaxSteps: 10_000, MaxOutputBytes: 1 << 12, MaxCallDepth: 16}
	tests := []struct {
		name string
		src  string
		kind ErrorKind
	}{
		{"steps", "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}", KindLimit},
		{"output", "{% for i in range(5000) %}xy{% endfor %}", KindLimit},
		{"recursion", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", KindLimit},
		{"repeat", "{{ 'abc' * 100000000000 }}", KindLimit},
		{"list repeat", "{{ ([1] * 100000000000) | length }}", KindLimit},
		{"concat growth", "{% set ns = namespace(s='x') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", KindLimit},
		{"range", "{{ range(10000000000) | length }}", KindLimit},
		{"list doubling", "{% set ns = namespace(l=[1]) %}{% for i in range(100) %}{% set ns.l = ns.l + ns.l %}{% endfor %}", KindLimit},
		{"replace growth", "{{ ('a' * 1000).replace('a', 'aaaaaaaaaa') }}", KindLimit},
		{"int overflow", "{{ 2 ** 64 }}", KindRuntime},
		{"membership work", "{% set big = range(100000) | list %}{% for i in range(1000) %}{{ 99999 in big }}{% endfor %}", KindLimit},
		{"unique work", "{% for i in range(100) %}{{ range(100000) | unique | list | length }}{% endfor %}", KindLimit},
		{"format width", "{{ '%99999999s' | format('x') }}", KindLimit},
		{"format reuse", "{% set ns = namespace(s='ab') %}{% for i in range(10) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ('%(a)s' * 500) % {'a': ns.s} }}", KindLimit},
		{"batch fill", "{{ [1] | batch(100000000000, 'x') | list }}", KindLimit},
		{"tojson indent", "{{ [1] | tojson(indent=100000) }}", KindLimit},
		{"join growth", "{% set ns = namespace(s='ab') %}{% for i in range(10) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s.join(range(3000) | map('string') | list) }}", KindLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := Parse("t", tc.src, small)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tmpl.Render(nil)
			var je *Error
			if !errors.As(err, &je) || je.Kind != tc.kind || strings.Contains(je.Msg, "internal error") {
				t.Fatalf("want %v error, got %v", tc.kind, err)
			}
		})
	}
	// Nesting far beyond real templates still parses and renders...
	ok := "{{ " + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100) + " }}" + strings.Repeat("{% if true %}", 100) + "x" + strings.Repeat("{% endif %}", 100)
	if got := render(t, ok, nil); got != "1x" {
		t.Errorf("100-deep nesting: got %q", got)
	}
	// ...and hostile nesting is a syntax error, not a stack overflow.
	deep := strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000)
	for _, src := range []string{"{{ " + deep + " }}", strings.Repeat("{% if true %}", 1000), "{{ " + strings.Repeat("not ", 5000) + "x }}", "{{ " + strings.Repeat("-", 5000) + "1 }}", "{{ " + strings.Repeat("[", 5000) + " }}"} {
		_, err := Parse("deep", src, hfOpts)
		var je *Error
		if !errors.As(err, &je) || je.Kind != KindSyntax {
			t.Errorf("deep nesting (%d bytes): want syntax error, got %v", len(src), err)
		}
	}
	nested := []any{}
	for range 1000 {
		nested = []any{nested}
	}
	tmpl, _ := Parse("t", "{{ v | length }}", hfOpts)
	if _, err := tmpl.Render(map[string]any{"v": nested}); err == nil {
		t.Error("1000-deep value: want an error")
	}
}

func TestConcurrentRender(t *testing.T) {
	tmpl, err := Parse("t", "{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + m %}{% endfor %}{{ ns.n }}", hfOpts)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := fmt.Sprint(g * 3)
			out, err := tmpl.Render(map[string]any{"messages": []int{g, g, g}})
			if err != nil || out != want {
				errs <- fmt.Errorf("goroutine %d: got %q, %v; want %q", g, out, err, want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestStrftimeNow(t *testing.T) {
	now := time.Date(2024, time.July, 6, 15, 4, 5, 0, time.UTC)
	fn := StrftimeNow(func() time.Time { return now })
	tests := map[string]string{
		"%d %b %Y":          "06 Jul 2024",
		"%B %d, %Y":         "July 06, 2024",
		"%Y-%m-%d %H:%M:%S": "2024-07-06 15:04:05",
		"%a %A %y %j":       "Sat Saturday 24 188",
		"%I%p %e %% %Q":     "03PM  6 % %Q",
	}
	for f, want := range tests {
		if got := render(t, "{{ strftime_now(f) }}", map[string]any{"strftime_now": fn, "f": f}); got != want {
			t.Errorf("strftime_now(%q) = %q, want %q", f, got, want)
		}
	}
	tmpl, _ := Parse("t", "{{ strftime_now(1) }}", hfOpts)
	if _, err := tmpl.Render(map[string]any{"strftime_now": fn}); err == nil {
		t.Error("strftime_now(1): want error")
	}
}

func TestFormatFloat(t *testing.T) {
	tests := map[float64]string{
		0: "0.0", 1: "1.0", -2.5: "-2.5", 0.1: "0.1", 1e16: "1e+16", 1e15: "1000000000000000.0",
		1.5e-5: "1.5e-05", 0.0001: "0.0001", 123456789.125: "123456789.125", 1e22: "1e+22", 5e-324: "5e-324",
	}
	for f, want := range tests {
		if got := formatFloat(f); got != want {
			t.Errorf("formatFloat(%v) = %q, want %q", f, got, want)
		}
	}
}
