#!/usr/bin/env python3
"""Differential corpus: random expressions and small templates built from a
fixed-seed grammar, rendered by jinja2 as transformers configures it
(see gen_expected.py). The Go test requires the same output, or an error of
the same kind.

    python3 gen_random.py   # writes random.json
"""
import json
import os
import random

from gen_expected import HERE, jinja2, render

SEED = int(os.environ.get("GEN_SEED", "20261125"))
COUNT = int(os.environ.get("GEN_COUNT", "1000"))
rng = random.Random(SEED)

ATOMS = ["1", "2", "0", "-3", "2.5", "0.1", "1e3", "'a'", "'Hello World'", "''", "' x '", "none", "true", "false",
         "[1, 2, 3]", "[]", "['b', 'a']", "(1, 'x')", "{'k': 1, 'a': [2]}", "{}", "s", "n", "f", "xs", "d", "u", "nope",
         "m.role", "m['content']", "ms[0].role", "xs[1:]", "s[::-1]", "d.k", "d['missing']"]
# "**" is left to the feature cases: Go's math.Pow and C's pow may differ in
# the last bit for float exponents.
BINOPS = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", ">", "<=", ">=", "in", "not in", "and", "or"]
# Filters that return generators in jinja2 (select, map, items, ...) are
# followed by "| list": a printed generator shows a memory address, and the
# engine here returns lists eagerly.
FILTERS = ["length", "upper", "lower", "trim", "first", "last", "list", "string", "int", "float", "abs", "tojson",
           "join(',')", "default('D')", "default('D', true)", "reverse | list", "sort", "unique | list", "title",
           "capitalize", "items | list", "dictsort", "sum", "min", "max", "round", "round(1)", "indent(2)",
           "replace('a', 'b')", "select('odd') | list", "reject('none') | list", "map('string') | list",
           "tojson(indent=1)", "wordcount", "batch(2) | list", "center(9)",
           "truncate(5, true, '.', 0)", "count", "e"]
TESTS = ["defined", "undefined", "none", "string", "number", "integer", "float", "mapping", "sequence", "iterable",
         "odd", "even", "true", "false", "boolean", "lower", "upper", "divisibleby 2", "in [1, 'a']", "eq 1", "callable"]
METHODS = ["strip()", "upper()", "split()", "split('l')", "startswith('H')", "endswith('d')", "replace('l', 'L')",
           "find('o')", "count('l')", "title()", "lstrip('H')", "rstrip('d')", "capitalize()", "isdigit()",
           "split('l', 1)", "rsplit('l', 1)", "split(none, 1)", "rsplit()", "splitlines()", "strip('H d')",
           "find('o', 5)", "rfind('l')", "count('')", "startswith(('x', 'H'))", "endswith('l', 0, 4)",
           "replace('', '-')", "replace('l', '', 1)", "format(1, 'a')", "lower()", "swapcase()", "isalpha()",
           "isspace()", "islower()", "isupper()", "isalnum()", "join(['1', '2'])", "removeprefix('He')",
           "removesuffix('ld')", "zfill(3)", "center(3)", "index('l')", "partition('l')"]
RECEIVERS = ["s", "u", repr("  Hello  "), repr("ß ǅx 1st-2nd"), repr("a\nb\r\nc"), repr("{} {}")]
VARS = {"s": "Hello World", "n": 7, "f": -1.25, "xs": [3, 1, 2], "d": {"k": "v", "b": 2},
        "m": {"role": "user", "content": "hi"}, "ms": [{"role": "system"}, {"role": "user"}], "u": "ünï"}


def expr(depth=0):
    r = rng.random()
    if depth > 2 or r < 0.3:
        return rng.choice(ATOMS)
    if r < 0.55:
        return f"({expr(depth + 1)} {rng.choice(BINOPS)} {expr(depth + 1)})"
    if r < 0.7:
        return f"({expr(depth + 1)} | {rng.choice(FILTERS)})"
    if r < 0.8:
        return f"({expr(depth + 1)} is {rng.choice(['', 'not '])}{rng.choice(TESTS)})"
    if r < 0.88:
        return rng.choice(RECEIVERS) + "." + rng.choice(METHODS)
    if r < 0.94:
        return f"({expr(depth + 1)} if {expr(depth + 1)} else {expr(depth + 1)})"
    return f"(not {expr(depth + 1)})"


def stmt():
    kind = rng.random()
    e = expr()
    if kind < 0.5:
        return "{{ " + e + " }}"
    if kind < 0.7:
        return "{% if " + e + " %}T{% else %}F{% endif %}"
    if kind < 0.85:
        return "{% for x in " + e + " %}[{{ x }}{{ loop.index }}]{% else %}empty{% endfor %}"
    return "{% set v = " + e + " %}{{ v }}|{{ v is defined }}"


def main():
    cases = []
    seen = set()
    while len(cases) < COUNT:
        src = stmt()
        if src in seen:
            continue
        seen.add(src)
        res = render(src, VARS)
        entry = {"name": f"r{len(cases):03d}", "template": src}
        entry.update(res)
        cases.append(entry)
    with open(os.path.join(HERE, "random.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "gen_random.py", "jinja2": jinja2.__version__, "vars": VARS, "cases": cases},
                  f, ensure_ascii=False, indent=0)
        f.write("\n")
    ok = sum(1 for c in cases if "want" in c)
    print(f"{len(cases)} cases, {ok} render, {len(cases) - ok} error")


if __name__ == "__main__":
    main()
