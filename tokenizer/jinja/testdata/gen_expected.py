#!/usr/bin/env python3
"""Renders the test templates with Python's jinja2 configured exactly as
transformers' apply_chat_template does (ImmutableSandboxedEnvironment,
trim_blocks, lstrip_blocks, loopcontrols, its tojson, raise_exception,
strftime_now, {% generation %}) and writes the expected outputs that the Go
tests compare against:

    python3 gen_expected.py   # writes features.json and template_cases.json

Cases with "opts" override trim_blocks/lstrip_blocks. Errors are recorded
by kind: "syntax", "raised" (raise_exception) or "runtime".
"""
import copy
import datetime
import json
import os

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_NOW = datetime.datetime(2026, 11, 25, 22, 30, 5)


class Raised(Exception):
    pass


class Generation(Extension):
    """Like transformers' AssistantTracker: render the body unchanged."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise Raised(message)


def make_env(trim=True, lstrip=True):
    env = ImmutableSandboxedEnvironment(trim_blocks=trim, lstrip_blocks=lstrip,
                                        extensions=[Generation, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


def render(src, variables, opts=None, now=False):
    opts = opts or {}
    env = make_env(opts.get("trim_blocks", True), opts.get("lstrip_blocks", True))
    # A deep copy: some jinja2 filters mutate their input in place (indent
    # does "s += newline", which extends a list).
    variables = copy.deepcopy(variables)
    if now:
        variables["strftime_now"] = lambda fmt: FIXED_NOW.strftime(fmt)
    try:
        t = env.from_string(src)
    except (jinja2.TemplateSyntaxError, SyntaxError) as e:
        return {"error": "syntax", "message": str(e)}
    try:
        return {"want": t.render(**variables)}
    except Raised as e:
        return {"error": "raised", "message": str(e)}
    except Exception as e:  # noqa: BLE001 - every other failure is a runtime error
        return {"error": "runtime", "message": f"{type(e).__name__}: {e}"}


# (name, template, variables[, opts])
F = []


def case(name, src, variables=None, opts=None):
    F.append((name, src, variables or {}, opts))


# --- whitespace control -----------------------------------------------------
ws_src = "<ul>\n  {% for x in xs %}\n    <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n"
for trim in (False, True):
    for lstrip in (False, True):
        case(f"ws/loop_trim{int(trim)}_lstrip{int(lstrip)}", ws_src, {"xs": [1, 2]},
             {"trim_blocks": trim, "lstrip_blocks": lstrip})
case("ws/minus_both", "a  \n  {%- if true -%}  \n  b  \n  {%- endif -%}\n  c")
case("ws/minus_var", "a \n {{- 'x' -}} \n b")
case("ws/var_not_lstripped", "  {{ 'v' }}\n  x")
case("ws/plus_disables_lstrip", "  {%+ if true %}x{% endif %}\n")
case("ws/plus_disables_trim", "{% if true +%}\nx{% endif %}")
case("ws/not_line_start", "{{ 'a' }}   {% if true %}b{% endif %}")
case("ws/after_trimmed_newline", "{% if true %}\n    {% if true %}x{% endif %}\n{% endif %}")
case("ws/comment", "a\n  {# note #}\nb\n{#- tight -#}\n c")
case("ws/raw", "{% raw %}{{ not evaluated }} {% if %}{% endraw %}!")
case("ws/raw_minus", "x  {%- raw -%}  body  {%- endraw -%}  y")
case("ws/trailing_newline_dropped", "line\n")
case("ws/crlf", "a\r\n{% if true %}\r\nb\r\n{% endif %}\r\nc")
case("ws/tabs_lstrip", "x\n\t \t{% if true %}y{% endif %}")
case("ws/multiline_tag", "{{\n  'a'\n  ~ 'b'\n}}")

# --- statements -------------------------------------------------------------
case("stmt/if_elif_else", "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} {% endfor %}")
case("stmt/for_loop_vars", "{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}")
case("stmt/for_prev_next", "{% for x in [1, 2, 3] %}[{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }}]{% endfor %}")
case("stmt/for_cycle", "{% for x in range(5) %}{{ loop.cycle('a', 'b', 'c') }}{% endfor %}")
case("stmt/for_changed", "{% for x in [1, 1, 2, 2, 1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}")
case("stmt/for_unpack_items", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", {"d": {"z": 1, "a": 2, "m": 3}})
case("stmt/for_unpack_paren", "{% for (a, b) in [[1, 2], [3, 4]] %}{{ a + b }},{% endfor %}")
case("stmt/for_filter_if", "{% for x in range(10) if x is odd %}{{ x }}{{ loop.length }};{% endfor %}")
case("stmt/for_else", "{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in [1] if false %}x{% else %}none kept{% endfor %}")
case("stmt/for_else_after_break", "{% for x in [1, 2] %}{% break %}{% else %}else-runs{% endfor %}|{% for x in [1, 2] %}{% if x == 2 %}{% break %}{% endif %}{% else %}else-skipped{% endfor %}|{% for x in [1] %}{% continue %}{% else %}else-runs{% endfor %}")
case("stmt/for_dict_keys", "{% for k in d %}{{ k }}{% endfor %}", {"d": {"b": 1, "a": 2}})
case("stmt/for_break_continue", "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}")
case("stmt/for_nested_loop", "{% for a in [1, 2] %}{% for b in [3, 4] %}{{ loop.index }}{{ a }}{{ b }} {% endfor %}{{ loop.index }}|{% endfor %}")
case("stmt/for_scope", "{% set y = 0 %}{% for x in [1, 2] %}{% if loop.first %}{% set y = 5 %}{% endif %}[{{ y }}]{% endfor %}{{ y }}")
case("stmt/for_recursive", "{% for n in tree recursive %}<{{ n.name }}@{{ loop.depth }}/{{ loop.depth0 }}{% if n.kids %}[{{ loop(n.kids) }}]{% endif %}>{% endfor %}",
     {"tree": [{"name": "a", "kids": [{"name": "b", "kids": [{"name": "c"}]}, {"name": "d"}]}, {"name": "e"}]})
case("stmt/for_recursive_filter_else", "{% for n in tree if n.keep recursive %}{{ n.name }}{{ loop(n.kids or []) }}{% else %}-{% endfor %}",
     {"tree": [{"name": "a", "keep": True, "kids": [{"name": "x", "keep": False}]}, {"name": "b", "keep": True}]})
case("expr/star_args", "{% macro m(a, b, c=3) %}{{ a }}{{ b }}{{ c }}{{ kwargs }}{% endmacro %}{{ m(*[1, 2]) }} {{ m(1, **{'b': 5, 'z': 9}) }} {{ m(*[7], **{'b': 8}) }} {{ '{}-{}'.format(*xs) }} {{ dict(b=2, **{'a': 1}) }}", {"xs": ["p", "q"]})
case("stmt/set_tuple", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c, d = [3, 4] %}{{ c }}{{ d }}")
case("stmt/set_block", "{% set x %}  hello {{ 1 + 1 }}  {% endset %}[{{ x }}]")
case("stmt/set_block_filter", "{% set x | upper | trim %}  hello  {% endset %}[{{ x }}]")
case("stmt/namespace", "{% set ns = namespace(n=0, items=[]) %}{% for x in [1, 2, 3] %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }} {{ ns.items }}")
case("stmt/namespace_dict_arg", "{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}")
case("stmt/macro", "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(punct='.', name='C') }}")
case("stmt/macro_varargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k=4) }}")
case("stmt/macro_scope", "{% set g = 'global' %}{% macro m() %}{{ g }}{% set g = 'inner' %}{{ g }}{% endmacro %}{{ m() }}{{ g }}")
case("stmt/macro_recursive", "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * (fact(n - 1) | int) }}{% endif %}{% endmacro %}{{ fact(5) }}")
case("stmt/call_block", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold {{ 1 }}{% endcall %}")
case("stmt/call_block_args", "{% macro each(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(v) each([1, 2]) %}<{{ v }}>{% endcall %}")
case("stmt/filter_block", "{% filter upper %}hello {{ 'world' }}{% endfilter %}")
case("stmt/with", "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]")
case("stmt/generation", "{% for m in ['x', 'y'] %}{% generation %}<{{ m }}>{% endgeneration %}{% endfor %}")
case("stmt/comment_inline", "a{# hidden {{ x }} #}b")

# --- expressions ------------------------------------------------------------
case("expr/literals", "{{ 'single' }} {{ \"double\" }} {{ 'esc\\'aped\\n\\t\\\\' }} {{ 42 }} {{ 1_000 }} {{ 3.5 }} {{ 1e3 }} {{ true }} {{ True }} {{ none }} {{ None }} {{ false }}")
case("expr/string_escapes", "{{ '\\x41\\u00e9\\U0001F600\\101' }}|{{ 'a' 'b' }}|{{ 'no\\escape' }}")
case("expr/collections", "{{ [1, 'a', none, true, 1.5] }} {{ (1,) }} {{ (1, 2) }} {{ () }} {{ {'k': 'v', 'n': [1]} }} {{ [] }} {{ {} }}")
case("expr/arith", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 2 ** 3 ** 2 }} {{ 2 ** -1 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 4 / 2 }}")
case("expr/unary", "{{ -3 }} {{ - -3 }} {{ +3 }} {{ -x | abs }} {{ not true }} {{ not none }}", {"x": 4})
case("expr/string_ops", "{{ 'a' + 'b' }} {{ 'ab' * 3 }} {{ 3 * 'x' }} {{ [1] + [2] }} {{ [0] * 3 }} {{ 'a' ~ 1 ~ none ~ true ~ 1.0 }}")
case("expr/compare", "{{ 1 < 2 }} {{ 2 <= 2 }} {{ 3 > 4 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ none == none }} {{ 'a' != 'b' }}")
case("expr/in", "{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1, 2] }} {{ 'x' not in 'abc' }}")
case("expr/logic", "{{ 0 or 'b' }} {{ 'a' and 'b' }} {{ '' and 'b' }} {{ none or [] }} {{ not 0 and 1 }} {{ 1 if true else 2 }} {{ 1 if false else 2 }}")
case("expr/cond_no_else", "[{{ 'yes' if false }}]{% set v = 'x' if false %}{{ v is defined }}")
case("expr/attr_item", "{{ m.role }} {{ m['role'] }} {{ m.missing }}|{{ xs[0] }} {{ xs[-1] }} {{ xs.1 }} {{ xs[10] }}|{{ 'abc'[1] }}", {"m": {"role": "user"}, "xs": [1, 2, 3]})
case("expr/slices", "{{ xs[1:] }} {{ xs[:2] }} {{ xs[::-1] }} {{ xs[::2] }} {{ xs[-2:] }} {{ 'hello'[1:3] }} {{ 'hello'[::-1] }} {{ xs[5:] }} {{ xs[3:1:-1] }}", {"xs": [1, 2, 3, 4]})
case("expr/precedence_filter", "{{ xs | length - 1 }} {{ -2 | abs }} {{ 'a' ~ 'b' | upper }} {{ 1 + 2 | string }}", {"xs": [1, 2, 3]})
case("expr/tests_in_expr", "{{ x is defined and x is not none }} {{ not y is defined }} {{ 3 is divisibleby 3 }} {{ 4 is divisibleby(3) }}", {"x": 1})
case("expr/printing", "{{ 1.0 }} {{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e15 }} {{ 1e-5 }} {{ 0.0001 }} {{ -0.0 }} {{ 123456789.125 }} {{ 2.5e-10 }} {{ [1.5, 'it\\'s', \"q\\\"\", '\\n'] }}")
case("expr/dict_order", "{{ d }} {{ d.keys() | list }} {{ d.values() | list }}", {"d": {"z": 1, "a": {"y": 2, "b": 3}}})
case("expr/dict_methods", "{{ d.get('a') }} {{ d.get('q') }} {{ d.get('q', 'dflt') }} {{ d['items'] is defined }} {{ d.items() | list }}", {"d": {"a": 1}})
case("expr/call_global", "{{ range(3) | list }} {{ range(1, 7, 2) | list }} {{ range(5, 0, -2) | list }} {{ dict(a=1, b=2) }}")
case("expr/undefined_ops", "[{{ nope }}] {{ nope | default('d') }} {{ nope is undefined }} {{ nope | length }} {% for x in nope %}x{% endfor %}{{ nope ~ 'cat' }} {{ nope == nope }}")

# --- string methods -------------------------------------------------------------
case("method/strip", "[{{ '  a b  '.strip() }}][{{ '\\n\\na\\n'.lstrip('\\n') }}][{{ 'xxaxx'.rstrip('x') }}][{{ '<<a>>'.strip('<>') }}]")
case("method/split", "{{ 'a,b,,c'.split(',') }} {{ '  a  b c '.split() }} {{ 'a b c'.split(' ', 1) }} {{ 'a-b-c'.rsplit('-', 1) }} {{ 'x</think>y'.split('</think>')[-1] }} {{ ' a b c '.split(none, 1) }}")
case("method/startswith", "{{ 'hello'.startswith('he') }} {{ 'hello'.endswith('lo') }} {{ 'hello'.startswith(('x', 'h')) }} {{ 'hello'.startswith('l', 2) }}")
case("method/case", "{{ 'hello world'.upper() }} {{ 'HeLLo'.lower() }} {{ 'hello wORLD 1st'.title() }} {{ 'hello World'.capitalize() }} {{ 'AbC'.swapcase() }}")
case("method/replace_find", "{{ 'aaa'.replace('a', 'b') }} {{ 'aaa'.replace('a', 'b', 2) }} {{ 'hello'.find('l') }} {{ 'hello'.find('z') }} {{ 'hello'.rfind('l') }} {{ 'hello'.count('l') }} {{ 'héllo'.find('l') }}")
case("method/join_format", "{{ ', '.join(['a', 'b']) }} {{ '{} and {}'.format('x', 'y') }} {{ '{1}{0}'.format('a', 'b') }} {{ '{n}!'.format(n='hi') }} {{ '{{literal}}'.format() }}")
case("method/predicates", "{{ '123'.isdigit() }} {{ 'abc'.isalpha() }} {{ 'ab1'.isalnum() }} {{ '  '.isspace() }} {{ 'abc'.islower() }} {{ 'ABC'.isupper() }} {{ ''.isdigit() }}")
case("method/splitlines", "{{ 'a\\nb\\r\\nc'.splitlines() }} {{ 'a\\nb\\n'.splitlines(true) }}")
case("method/unicode_case", "{{ 'Straße ﬁx'.upper() }} {{ 'ΟΔΟΣ ΣΑΣ.'.lower() }} {{ 'İ'.lower() | length }} {{ 'ßa'.capitalize() }} {{ 'ǆemal ßig'.title() }} {{ 'straße' | upper }} {{ 'ß-x' | title }} {{ 'aß'.swapcase() }}")
case("method/pad_partition", "[{{ 'ab'.center(7, '*') }}][{{ '-42'.zfill(6) }}][{{ 'x'.ljust(3, '.') }}][{{ 'x'.rjust(3) }}] {{ 'a=b=c'.partition('=') }} {{ 'a=b=c'.rpartition('=') }} {{ 'abc'.partition('z') }} {{ 'hello'.index('l') }} {{ 'hello'.rindex('l') }}")
case("method/list", "{{ [1, 2, 1].count(1) }} {{ ['a', 'b'].index('b') }}")

# --- filters ----------------------------------------------------------------
case("filter/trim", "[{{ '  x  ' | trim }}][{{ 'xxhixx' | trim('x') }}][{{ nope | trim }}]")
case("filter/tojson", "{{ d | tojson }}|{{ d | tojson(indent=2) }}|{{ [] | tojson(indent=2) }}|{{ {} | tojson }}",
     {"d": {"name": "f", "n": 1, "x": 1.5, "ok": True, "none": None, "list": [1, "two", {"z": [], "a": {}}]}})
case("filter/tojson_strings", "{{ 'é \"q\" \\\\ \\n \\t \\x01 \\x7f \\u2028 😀 </script>' | tojson }}|{{ 'é😀' | tojson(ensure_ascii=true) }}")
case("filter/tojson_args", "{{ d | tojson(separators=(',', ':')) }}|{{ d | tojson(sort_keys=true) }}|{{ d | tojson(indent='\\t') }}|{{ [1.0, 1e20, -0.5] | tojson }}", {"d": {"b": [1, 2], "a": 1}})
case("filter/join", "{{ ['a', 'b'] | join }} {{ [1, 2] | join(', ') }} {{ users | join(', ', attribute='name') }} {{ 'abc' | join('-') }}", {"users": [{"name": "x"}, {"name": "y"}]})
case("filter/default", "{{ nope | default('a') }} {{ '' | default('b') }} {{ '' | default('c', true) }} {{ none | default('d') }} {{ none | d('e', true) }} {{ 0 | d(5, boolean=true) }}")
case("filter/length", "{{ 'héllo' | length }} {{ [1, 2] | count }} {{ {'a': 1} | length }} {{ nope | length }}")
case("filter/first_last", "{{ [1, 2, 3] | first }} {{ [1, 2, 3] | last }} {{ 'abc' | first }} {{ 'abc' | last }} [{{ [] | first }}]")
case("filter/items_list", "{{ d | items | list }} {{ 'ab' | list }} {{ d | list }} {{ nope | items | list }}", {"d": {"b": 1, "a": 2}})
case("filter/string_int_float", "{{ 12 | string }} {{ [1] | string }} {{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ 3.9 | int }} {{ '2.5' | float }} {{ 'x' | float }} {{ 3 | float }} {{ '0x1A' | int(0, 16) }} {{ true | int }}")
case("filter/case", "{{ 'hello WORLD' | title }} {{ 'hello-world (x) [y]' | title }} {{ 'hELLO' | capitalize }} {{ 'Abc' | lower }} {{ 'abc' | upper }}")
case("filter/replace", "{{ 'aaa' | replace('a', 'bb') }} {{ 'aaa' | replace('a', 'b', 1) }}")
case("filter/safe_escape", "{{ '<a href=\"x\">&\\'</a>' | safe }} {{ '<a href=\"x\">&\\'</a>' | e }} {{ '<b>' | escape }}")
case("filter/indent", "[{{ 'a\\nb\\n\\nc' | indent }}][{{ 'a\\nb' | indent(2, true) }}][{{ 'a\\n\\nb\\n' | indent(2, blank=true) }}][{{ 'a\\nb' | indent('> ') }}]")
case("filter/map", "{{ users | map(attribute='name') | list }} {{ ['a', 'b'] | map('upper') | list }} {{ ['1', '2'] | map('int') | sum }} {{ users | map(attribute='age', default=0) | list }} {{ ['ab', 'cd'] | map('replace', 'a', 'x') | list }}",
     {"users": [{"name": "x", "age": 3}, {"name": "y"}]})
case("filter/select", "{{ range(6) | select('odd') | list }} {{ range(6) | reject('even') | list }} {{ [0, 1, '', 'a'] | select | list }} {{ [1, 2, 3] | select('equalto', 2) | list }} {{ [1, 5, 3] | select('gt', 2) | list }} {{ ['a', 'b'] | select('in', ['a']) | list }}")
case("filter/selectattr", "{{ ms | selectattr('role', 'equalto', 'user') | map(attribute='c') | list }} {{ ms | rejectattr('role', 'eq', 'user') | list | length }} {{ ms | selectattr('tool_calls', 'undefined') | list | length }} {{ ms | selectattr('tool_calls') | list | length }} {{ ms | selectattr('tool_calls', 'defined') | map(attribute='c') | join }}",
     {"ms": [{"role": "user", "c": "1"}, {"role": "assistant", "c": "2", "tool_calls": [1]}, {"role": "user", "c": "3"}]})
case("filter/unique_sort", "{{ [3, 1, 2, 1] | unique | list }} {{ ['a', 'A', 'b'] | unique | list }} {{ ['b', 'A', 'c'] | sort }} {{ ['b', 'A', 'c'] | sort(case_sensitive=true) }} {{ [3, 1, 2] | sort(reverse=true) }} {{ us | sort(attribute='n') | map(attribute='n') | list }}",
     {"us": [{"n": 2}, {"n": 1}, {"n": 3}]})
case("filter/reverse_abs_round", "{{ [1, 2, 3] | reverse | list }} {{ 'abc' | reverse }} {{ -3 | abs }} {{ -2.5 | abs }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 3.14159 | round(2) }} {{ 3.1 | round(0, 'ceil') }} {{ 3.9 | round(method='floor') }} {{ 7 | round }}")
case("filter/dictsort", "{{ d | dictsort }} {{ d | dictsort(reverse=true) }} {{ d | dictsort(by='value') }}", {"d": {"b": 1, "A": 3, "c": 2}})
case("filter/sum_min_max", "{{ [1, 2, 3] | sum }} {{ [1.5, 2] | sum }} {{ us | sum(attribute='n') }} {{ [1, 2] | sum(start=10) }} {{ [3, 1, 2] | min }} {{ [3, 1, 2] | max }} {{ ['b', 'A', 'c'] | max }} {{ us | max(attribute='n') }}",
     {"us": [{"n": 2}, {"n": 1}]})
case("filter/batch_center_wordcount", "{{ [1, 2, 3, 4, 5] | batch(2) | list }} {{ [1, 2, 3] | batch(2, 'x') | list }} [{{ 'ab' | center(7) }}] [{{ 'abc' | center(8) }}] {{ 'hello big, world!' | wordcount }}")
case("filter/truncate", "{{ 'hello world foo bar' | truncate(9) }}|{{ 'hello world foo bar' | truncate(9, true) }}|{{ 'hello world foo bar' | truncate(11, false, '..', 0) }}|{{ 'short' | truncate(9) }}")
case("filter/format", "{{ '%s-%d' | format('a', 3) }} {{ '%05.2f' | format(3.14159) }} {{ '%r' | format('x') }} {{ '%x%%' | format(255) }}")
case("filter/attr", "{{ d | attr('a') }} [{{ d | attr('zz') }}]", {"d": {"a": 1}})

# --- tests -----------------------------------------------------------------
tests_src = ("{% for v in vals %}"
             "{{ v is defined }}{{ v is none }}{{ v is string }}{{ v is mapping }}{{ v is iterable }}{{ v is sequence }}"
             "{{ v is number }}{{ v is integer }}{{ v is float }}{{ v is boolean }}{{ v is true }}{{ v is false }}"
             "{{ v is callable }}|{% endfor %}")
case("test/types", tests_src, {"vals": [None, "s", {"a": 1}, [1], 1, 1.5, True, False]})
case("test/misc", "{{ 3 is odd }}{{ 4 is even }}{{ 'abc' is lower }}{{ 'ABC' is upper }}{{ 'aB' is lower }}{{ 2 is eq 2 }}{{ 2 is equalto 3 }}{{ 2 is ne 3 }}{{ 'a' is in 'abc' }}{{ x is sameas none }}{{ range is callable }}{{ 3 is lt 4 }}{{ 3 is ge 4 }}{{ nope is undefined }}{{ 1 is not string }}", {"x": None})

# --- scoping ----------------------------------------------------------------
case("scope/loop_shadow", "{% set x = 1 %}{% for i in [1,2] %}{{ x }}{% set x = 2 %}{{ x }}{% endfor %}{{ x }}")
case("scope/if_no_scope", "{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}")
case("scope/macro_late_binding", "{% macro m() %}{{ x }}{% endmacro %}{% set x = 5 %}{{ m() }}{% set x = 6 %}{{ m() }}")
case("scope/macro_in_loop", "{% for i in [1, 2] %}{% set x = i * 3 %}{% macro m() %}{{ x }}{% endmacro %}{{ m() }}{% endfor %}")
case("scope/var_shadows_global", "{{ range }}|{{ messages | length }}", {"range": "mine", "messages": [1, 2]})
case("scope/set_overrides_input", "{% set messages = messages[1:] %}{{ messages }}", {"messages": ["sys", "u"]})
case("scope/loop_outside", "[{{ loop }}]")
case("scope/nested_loop_outer", "{% for a in 'xy' %}{% set outer = loop %}{% for b in 'ab' %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}")

# --- real-template idioms ----------------------------------------------------------
case("idiom/hermes_macro", """{%- macro json_to_python_type(json_spec) %}
{%- set basic_type_map = {"string": "str", "number": "float", "integer": "int", "boolean": "bool"} %}
{%- if basic_type_map[json_spec.type] is defined %}
    {{- basic_type_map[json_spec.type] }}
{%- elif json_spec.type == "array" %}
    {{- "list[" +  json_to_python_type(json_spec|items) + "]" }}
{%- elif json_spec.type == "object" %}
    {%- if json_spec.additionalProperties is defined %}
        {{- "dict[str, " + json_to_python_type(json_spec.additionalProperties) + ']' }}
    {%- else %}
        {{- "dict" }}
    {%- endif %}
{%- elif json_spec.type is iterable %}
    {{- "Union[" }}
    {%- for t in json_spec.type %}
        {{- json_to_python_type({"type": t}) }}
        {%- if not loop.last %}
            {{- "," }}
        {%- endif %}
    {%- endfor %}
    {{- "]" }}
{%- else %}
    {{- "Any" }}
{%- endif %}
{%- endmacro %}
{%- for tool in tools %}
{{- tool.function.name + "(" }}
{%- for param_name, param_fields in tool.function.parameters.properties|items %}
    {{- param_name + ": " + json_to_python_type(param_fields) }}
    {%- if not loop.last %}
        {{- ", " }}
    {%- endif %}
{%- endfor %}
{{- ")" }}
{%- if tool.function.return is defined %}
    {{- " -> " + json_to_python_type(tool.function.return) }}
{%- endif %}
{% endfor %}""", {"tools": [{"function": {"name": "f", "parameters": {"properties": {"a": {"type": "string"}, "b": {"type": "object", "additionalProperties": {"type": "integer"}}, "c": {"type": ["string", "number"]}, "d": {"type": "object"}}}, "return": {"type": "boolean"}}}]})
case("idiom/content_join", "{% for m in ms %}{{ m.content | selectattr('type', 'equalto', 'text') | map(attribute='text') | join('\n') }}|{% endfor %}",
     {"ms": [{"content": [{"type": "text", "text": "a"}, {"type": "image"}, {"type": "text", "text": "b"}]}]})
case("idiom/deepseek_ns", "{% set ns = namespace(is_first=false, system_prompt='') %}{%- for message in messages %}{%- if message['role'] == 'system' %}{% set ns.system_prompt = ns.system_prompt + message['content'] %}{%- endif %}{%- endfor %}{{ bos_token }}{{ ns.system_prompt }}{% for m in messages if m.role != 'system' %}{% if m['content'] is none %}<none>{% else %}{{ m['content'].split('</think>')[-1] }}{% endif %}{% endfor %}",
     {"bos_token": "<s>", "messages": [{"role": "system", "content": "A"}, {"role": "system", "content": "B"}, {"role": "assistant", "content": "t</think>ans"}, {"role": "assistant", "content": None}]})
case("idiom/last_user_index", "{%- set ns = namespace(idx=-1) %}{%- for m in messages %}{%- if m.role == 'user' %}{%- set ns.idx = loop.index0 %}{%- endif %}{%- endfor %}{{ ns.idx }} {{ messages | map(attribute='role') | list }} {{ (messages | selectattr('role', 'equalto', 'system') | list | length) > 0 }}",
     {"messages": [{"role": "system"}, {"role": "user"}, {"role": "assistant"}, {"role": "user"}, {"role": "assistant"}]})
case("idiom/inline_if_newline", "{% for x in xs %}{{ x }}{{ '\n' if not loop.last }}{% endfor %}", {"xs": ["a", "b", "c"]})
case("idiom/unicode", "{{ s | length }} {{ s[1] }} {{ s[::-1] }} {{ s.upper() }} {{ s | tojson }} {{ s | tojson(ensure_ascii=true) }} {{ [s] }}", {"s": "añ😀ü"})

# --- errors -----------------------------------------------------------------
case("error/raise", "a{{ raise_exception('bad input: ' ~ 3) }}")
case("error/raise_in_loop", "{% for m in ms %}{% if m == 2 %}{{ raise_exception('two') }}{% endif %}{{ m }}{% endfor %}", {"ms": [1, 2]})
case("error/syntax_unclosed_if", "{% if true %}x")
case("error/syntax_bad_expr", "{{ 1 + }}")
case("error/syntax_unknown_tag", "{% frobnicate %}")
case("error/syntax_unclosed_var", "{{ x ")
case("error/syntax_endfor_mismatch", "{% for x in y %}{% endif %}")
case("error/undefined_arith", "{{ nope + 1 }}")
case("error/type_add", "{{ 'a' + 1 }}")
case("error/div_zero", "{{ 1 / 0 }}")
case("error/call_non_callable", "{{ 'abc'() }}")
case("error/unknown_filter", "{{ 1 | nosuchfilter }}")
case("error/unknown_test", "{{ 1 is nosuchtest }}")
case("error/iterate_int", "{% for x in 3 %}{% endfor %}")
case("error/tojson_undefined", "{{ nope | tojson }}")
case("error/set_attr_non_namespace", "{% set d = {} %}{% set d.x = 1 %}")
case("error/index_not_found", "{{ 'abc'.index('z') }}")
case("error/loop_not_recursive", "{% for x in [1] %}{{ loop([2]) }}{% endfor %}")
case("error/star_not_mapping", "{{ dict(**[1]) }}")
case("error/kwarg_after_starstar", "{{ dict(**{'a': 1}, b=2) }}")
case("error/macro_too_many_args", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}")
case("error/macro_unknown_kwarg", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, b=2) }}")
case("error/macro_unexpected_caller", "{% macro m(a) %}{{ a }}{% endmacro %}{% call m(1) %}x{% endcall %}")
case("error/kwarg_repeated", "{{ dict(a=1, a=2) }}")
case("stmt/macro_missing_arg", "{% macro m(a, b) %}[{{ a }}|{{ b }}|{{ b is defined }}]{% if false %}{{ varargs }}{% endif %}{% endmacro %}{{ m(1) }}{{ m(1, 2, 3) }}")
case("error/break_outside_loop", "{% break %}")


def build_features():
    out = []
    for name, src, variables, opts in F:
        res = render(src, variables, opts)
        entry = {"name": name, "template": src, "vars": variables}
        if opts:
            entry["opts"] = opts
        entry.update(res)
        out.append(entry)
    return out


# --- real chat templates ---------------------------------------------------------
WEATHER_TOOL = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather in a city",
    "parameters": {"type": "object", "properties": {
        "city": {"type": "string", "description": "City name, e.g. Zürich"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
        "required": ["city"]}}}
SIMPLE = [{"role": "user", "content": "Hello!"}]
MULTI = [{"role": "system", "content": "  You are terse.  "}, {"role": "user", "content": "2+2?"},
         {"role": "assistant", "content": "4"}, {"role": "user", "content": "and 3+3?"}]
VISION = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What is this?"}]},
          {"role": "assistant", "content": [{"type": "text", "text": "A cat."}]},
          {"role": "user", "content": [{"type": "text", "text": "Compare with"}, {"type": "image"}, {"type": "video"}]}]
QWEN_VISION = [{"role": "system", "content": "Be precise."},
               {"role": "user", "content": [{"type": "image", "image": "a.png"}, {"type": "text", "text": "Describe."}]},
               {"role": "assistant", "content": "A dog."},
               {"role": "user", "content": [{"type": "video", "video": "v.mp4"}, {"image_url": "b.png"}, {"type": "text", "text": "And these?"}]}]
QWEN3_THINK = [{"role": "user", "content": "Solve x"},
               {"role": "assistant", "content": "<think>\nLet me think.\n</think>\n\nx = 2"},
               {"role": "user", "content": "Why?"},
               {"role": "assistant", "content": "", "reasoning_content": "Because.",
                "tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}},
                               {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Rome\"}"}}]},
               {"role": "tool", "content": "{\"temp\": 21}"},
               {"role": "tool", "content": "{\"temp\": 25}"}]
LLAMA_TOOLS = [{"role": "system", "content": "You are a bot."}, {"role": "user", "content": "Weather in Paris?"},
               {"role": "assistant", "tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
               {"role": "tool", "content": {"temp": 21, "sky": "clear"}},
               {"role": "assistant", "content": "It is 21 degrees."}]
MISTRAL_TOOLS = [{"role": "system", "content": "Use tools."}, {"role": "user", "content": "Weather in Paris?"},
                 {"role": "assistant", "tool_calls": [{"id": "abc123xyz", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
                 {"role": "tool", "tool_call_id": "abc123xyz", "content": "21 C"},
                 {"role": "assistant", "content": "It is 21 C."},
                 {"role": "user", "content": "Thanks"}]

TEMPLATE_CASES = [
    # (template file, case name, variables, use strftime_now)
    ("qwen3.jinja", "think_history_tools", {"messages": QWEN3_THINK, "tools": [WEATHER_TOOL], "add_generation_prompt": True, "eos_token": "<|im_end|>"}, False),
    ("qwen3.jinja", "system_multi", {"messages": MULTI, "add_generation_prompt": False}, False),
    ("qwen3.jinja", "no_thinking", {"messages": SIMPLE, "add_generation_prompt": True, "enable_thinking": False}, False),
    ("gemma3.jinja", "vision", {"messages": VISION, "add_generation_prompt": True, "bos_token": "<bos>"}, False),
    ("gemma3.jinja", "system_multi", {"messages": MULTI, "add_generation_prompt": True, "bos_token": "<bos>"}, False),
    ("gemma3.jinja", "bad_alternation", {"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}], "bos_token": "<bos>"}, False),
    ("smolvlm.jinja", "vision", {"messages": VISION, "add_generation_prompt": True}, False),
    ("smolvlm.jinja", "text_list", {"messages": [{"role": "system", "content": [{"type": "text", "text": "Sys."}]}, {"role": "user", "content": [{"type": "text", "text": "Hi"}]}], "add_generation_prompt": False}, False),
    ("idefics3.jinja", "vision", {"messages": VISION[:2] + [{"role": "user", "content": [{"type": "text", "text": "And?"}, {"type": "image"}]}], "add_generation_prompt": True}, False),
    ("qwen2vl.jinja", "vision", {"messages": QWEN_VISION, "add_generation_prompt": True}, False),
    ("qwen2vl.jinja", "vision_ids", {"messages": QWEN_VISION[1:], "add_generation_prompt": True, "add_vision_id": True}, False),
    ("qwen2vl.jinja", "plain", {"messages": SIMPLE, "add_generation_prompt": False}, False),
    ("llama3_2.jinja", "simple_dated", {"messages": SIMPLE, "add_generation_prompt": True, "bos_token": "<|begin_of_text|>"}, True),
    ("llama3_2.jinja", "simple_default_date", {"messages": MULTI, "add_generation_prompt": True, "bos_token": "<|begin_of_text|>"}, False),
    ("llama3_2.jinja", "tools_in_user", {"messages": LLAMA_TOOLS, "tools": [WEATHER_TOOL], "add_generation_prompt": True, "bos_token": "<|begin_of_text|>", "date_string": "01 Jan 2025"}, False),
    ("llama3_2.jinja", "tools_in_system", {"messages": LLAMA_TOOLS, "tools": [WEATHER_TOOL], "tools_in_user_message": False, "add_generation_prompt": False, "bos_token": "<|begin_of_text|>"}, True),
    ("mistral_v01.jinja", "multi", {"messages": MULTI[1:], "bos_token": "<s>", "eos_token": "</s>"}, False),
    ("mistral_v01.jinja", "system_rejected", {"messages": MULTI, "bos_token": "<s>", "eos_token": "</s>"}, False),
    ("mistral_large2.jinja", "tools", {"messages": MISTRAL_TOOLS, "tools": [WEATHER_TOOL], "bos_token": "<s>", "eos_token": "</s>"}, False),
    ("mistral_large2.jinja", "bad_tool_id", {"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "tool_calls": [{"id": "short", "function": {"name": "f", "arguments": {}}}]}], "bos_token": "<s>", "eos_token": "</s>"}, False),
    ("mistral_small3_1.jinja", "default_system", {"messages": SIMPLE, "bos_token": "<s>", "eos_token": "</s>"}, True),
    ("mistral_small3_1.jinja", "vision", {"messages": [{"role": "system", "content": [{"type": "text", "text": "Sys."}]}] + VISION[:2] + [{"role": "user", "content": [{"type": "image_url"}, {"type": "text", "text": "More?"}]}], "bos_token": "<s>", "eos_token": "</s>"}, True),
    ("mistral_small3_1.jinja", "tools", {"messages": [dict(m, tool_calls=[dict(tc, id="call_" + tc["id"]) for tc in m["tool_calls"]]) if "tool_calls" in m else (dict(m, tool_call_id="call_" + m["tool_call_id"]) if "tool_call_id" in m else m) for m in MISTRAL_TOOLS], "tools": [WEATHER_TOOL], "bos_token": "<s>", "eos_token": "</s>"}, True),
    ("mistral_small3_1.jinja", "video_rejected", {"messages": VISION, "bos_token": "<s>", "eos_token": "</s>"}, True),
    ("phi3_generation.jinja", "train", {"messages": MULTI, "add_generation_prompt": False, "bos_token": "<s>", "eos_token": "<|endoftext|>"}, False),
]


def build_template_cases():
    out = []
    for tfile, name, variables, now in TEMPLATE_CASES:
        with open(os.path.join(HERE, "templates", tfile), encoding="utf-8") as f:
            src = f.read()
        res = render(src, variables, now=now)
        entry = {"name": f"{tfile[:-len('.jinja')]}/{name}", "template_file": tfile, "vars": variables}
        if now:
            entry["strftime_now"] = FIXED_NOW.strftime("%Y-%m-%dT%H:%M:%S")
        entry.update(res)
        out.append(entry)
    return out


def main():
    for fname, data in (("features.json", build_features()), ("template_cases.json", build_template_cases())):
        with open(os.path.join(HERE, fname), "w", encoding="utf-8") as f:
            json.dump({"generator": "gen_expected.py", "jinja2": jinja2.__version__, "cases": data}, f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
