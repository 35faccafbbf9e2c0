#!/usr/bin/env python3
"""Differential corpus for whitespace control: random templates of text with
spaces, tabs and newlines around tags carrying "-" and "+" markers, under
all four trim_blocks/lstrip_blocks settings, rendered by jinja2 as
transformers configures it (see gen_expected.py).

    python3 gen_whitespace.py   # writes whitespace.json
"""
import json
import os
import random

from gen_expected import HERE, jinja2, render

SEED = int(os.environ.get("GEN_SEED", "424242"))
COUNT = int(os.environ.get("GEN_COUNT", "500"))
rng = random.Random(SEED)

TEXT = ["", "", " ", "  ", "\t", "\n", "\n\n", " \n", "\n  ", "\n\t ", "a", " b ", "c\n", "  d  \n  "]


def ws():
    return "".join(rng.choice(TEXT) for _ in range(rng.randint(0, 3)))


def mark(open_side):
    r = rng.random()
    if r < 0.25:
        return "-"
    if r < 0.35 and open_side:
        return "+"
    if r < 0.45 and not open_side:
        return "+"
    return ""


def tag(body, kind="%"):
    close = "}" if kind == "{" else kind
    m1, m2 = mark(True), mark(False)
    if kind == "{" and m2 == "+":
        m2 = ""  # "+}}" is not a whitespace marker
    return "{" + kind + m1 + " " + body + " " + m2 + close + "}"


def block(depth=0):
    r = rng.random()
    if depth > 2 or r < 0.3:
        return ws() + rng.choice([tag("'x'", "{"), tag("n", "{"), "{#" + mark(True) + " c " + mark(False) + "#}",
                                  tag("set v = 1"), ws()]) + ws()
    if r < 0.55:
        inner = "".join(block(depth + 1) for _ in range(rng.randint(1, 3)))
        other = "".join(block(depth + 1) for _ in range(rng.randint(0, 2)))
        return ws() + tag("if n") + inner + tag("else") + other + tag("endif") + ws()
    if r < 0.8:
        inner = "".join(block(depth + 1) for _ in range(rng.randint(1, 3)))
        return ws() + tag("for i in [1, 2]") + inner + tag("endfor") + ws()
    if r < 0.9:
        return ws() + tag("raw") + ws() + "{{ r }}" + ws() + tag("endraw") + ws()
    inner = "".join(block(depth + 1) for _ in range(rng.randint(1, 2)))
    return ws() + tag("macro m()") + inner + tag("endmacro") + tag("m()", "{") + ws()


def main():
    cases = []
    seen = set()
    while len(cases) < COUNT:
        src = "".join(block() for _ in range(rng.randint(1, 4)))
        if src in seen or len(src) > 300:  # short cases keep the corpus small and failures readable
            continue
        seen.add(src)
        opts = {"trim_blocks": rng.random() < 0.6, "lstrip_blocks": rng.random() < 0.6}
        entry = {"name": f"w{len(cases):03d}", "template": src, "opts": opts}
        entry.update(render(src, {"n": 1}, opts))
        cases.append(entry)
    with open(os.path.join(HERE, "whitespace.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "gen_whitespace.py", "jinja2": jinja2.__version__, "vars": {"n": 1}, "cases": cases},
                  f, ensure_ascii=False, indent=0)
        f.write("\n")
    ok = sum(1 for c in cases if "want" in c)
    print(f"{len(cases)} cases, {ok} render, {len(cases) - ok} error")


if __name__ == "__main__":
    main()
