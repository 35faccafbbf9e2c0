#!/usr/bin/env python3
"""Differential corpus for control flow and scoping: random nests of for
(with loop variables, inline filters, else, break/continue), if/elif, set,
namespace attributes, macros and call blocks, rendered by jinja2 as
transformers configures it (see gen_expected.py).

    python3 gen_control.py   # writes control.json
"""
import json
import os
import random

from gen_expected import HERE, jinja2, render

SEED = int(os.environ.get("GEN_SEED", "9001"))
COUNT = int(os.environ.get("GEN_COUNT", "400"))
rng = random.Random(SEED)

ITERS = ["xs", "[1, 2, 3]", "'ab'", "d", "d.items()", "range(4)", "[]", "ms", "xs[::-1]", "ms | selectattr('r', 'eq', 'u')"]
LOOPVARS = ["loop.index", "loop.index0", "loop.revindex", "loop.first", "loop.last", "loop.length",
            "loop.previtem", "loop.nextitem", "loop.cycle('a', 'b')", "loop.depth"]
# "loop" appears only inside loops: outside one, jinja2 raises on loop.first
# where this engine (deliberately) yields undefined.
CONDS = ["x", "not x", "v is defined", "ns.n > 2", "x == 2", "x is string", "x in xs", "v", "ns.s"]
LOOP_CONDS = ["loop.first", "loop.last", "loop.index is even"]
VALUES = ["x", "1", "v ~ 'v'", "ns.n + 1", "[x]", "'s'"]
LOOP_VALUES = ["x ~ loop.index"]


def cond(in_loop):
    return rng.choice(CONDS + (LOOP_CONDS if in_loop else []))


def value(in_loop):
    return rng.choice(VALUES + (LOOP_VALUES if in_loop else []))


def target_for(it):
    if it == "d.items()":
        return "k, x"
    return "x"


def body(depth, in_loop, in_macro=False):
    parts = []
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        if r < 0.2:
            parts.append("{{ " + (rng.choice(LOOPVARS) if in_loop else "x") + " }}")
        elif r < 0.3:
            parts.append("{{ v }}")
        elif r < 0.4 and depth < 3:
            parts.append("{% if " + cond(in_loop) + " %}" + body(depth + 1, in_loop, in_macro)
                         + ("{% elif " + cond(in_loop) + " %}E" if rng.random() < 0.3 else "")
                         + ("{% else %}" + body(depth + 1, in_loop, in_macro) if rng.random() < 0.5 else "")
                         + "{% endif %}")
        elif r < 0.58 and depth < 3:
            it = rng.choice(ITERS)
            flt = " if " + rng.choice(["x", "not loop", "x != 2"]) if rng.random() < 0.2 else ""
            els = "{% else %}none" if rng.random() < 0.3 else ""
            parts.append("{% for " + target_for(it) + " in " + it + flt + " %}" + body(depth + 1, True, in_macro)
                         + els + "{% endfor %}")
        elif r < 0.68:
            parts.append("{% set v = " + value(in_loop) + " %}")
        elif r < 0.76:
            parts.append("{% set ns.n = ns.n + 1 %}{% set ns.s = ns.s ~ x %}")
        elif r < 0.84 and in_loop:
            parts.append("{% if " + cond(in_loop) + " %}{% " + rng.choice(["break", "continue"]) + " %}{% endif %}")
        elif r < 0.9 and not in_macro:
            parts.append("{{ m(" + rng.choice(["x", "1", "v", "ns.n"]) + ") }}")
        elif r < 0.95 and not in_macro:
            parts.append("{% call(y) w(x) %}<{{ y }}{{ x }}>{% endcall %}")
        else:
            parts.append("|")
    return "".join(parts)


def main():
    cases = []
    seen = set()
    prelude = ("{% set ns = namespace(n=0, s='') %}{% set x = 'top' %}"
               "{% macro m(a, b=2) %}({{ a }},{{ b }},{{ x }},{{ ns.n }}){% set ns.n = ns.n + 10 %}{% endmacro %}"
               "{% macro w(a) %}[{{ caller(a) }}{{ caller('c') }}]{% endmacro %}")
    while len(cases) < COUNT:
        src = prelude + body(0, False) + "{{ ns.n }}{{ ns.s }}{{ v }}{{ x }}"
        if src in seen or len(src) > 700:
            continue
        seen.add(src)
        entry = {"name": f"c{len(cases):03d}", "template": src}
        entry.update(render(src, VARS))
        cases.append(entry)
    with open(os.path.join(HERE, "control.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "gen_control.py", "jinja2": jinja2.__version__, "vars": VARS, "cases": cases},
                  f, ensure_ascii=False, indent=0)
        f.write("\n")
    ok = sum(1 for c in cases if "want" in c)
    print(f"{len(cases)} cases, {ok} render, {len(cases) - ok} error")


VARS = {"xs": [1, 2, 3], "d": {"b": 1, "a": 2}, "ms": [{"r": "u", "c": 1}, {"r": "a", "c": 2}, {"r": "u", "c": 3}]}

if __name__ == "__main__":
    main()
