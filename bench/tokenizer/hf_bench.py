"""Times HF tokenizers on one thread: Qwen3 tokenizer load and encode throughput.

Usage: RAYON_NUM_THREADS=1 python3 hf_bench.py <qwen3 tokenizer.json> <sample_en.txt> <sample_cjk.txt> [gemma3 tokenizer.json]
Prints one JSON object. Each text is repeated whole until it reaches 1 MiB, as the Go
benchmarks (tokenizer/bench_test.go) do.
"""
import json
import os
import sys
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
from tokenizers import Tokenizer  # noqa: E402

tok_path, en_path, cjk_path = sys.argv[1:4]
res = {}
t0 = time.perf_counter()
n = 5
for _ in range(n):
    tok = Tokenizer.from_file(tok_path)
res["load_ms"] = (time.perf_counter() - t0) / n * 1e3


def repeat_to(text, size=1 << 20):
    n = len(text.encode())
    return text * ((size + n - 1) // n)


def bench(tok, path, runs=5):
    with open(path, encoding="utf-8") as f:
        text = repeat_to(f.read())
    nbytes = len(text.encode())
    tok.encode(text, add_special_tokens=False)  # warm the word cache, as b.Loop's first round does
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        ids = tok.encode(text, add_special_tokens=False).ids
        times.append(time.perf_counter() - t0)
    med = sorted(times)[runs // 2]
    return {"bytes": nbytes, "tokens": len(ids), "median_s": med, "mb_per_s": nbytes / med / 1e6}


res["english"] = bench(tok, en_path)
res["cjk"] = bench(tok, cjk_path)
if len(sys.argv) > 4:
    t0 = time.perf_counter()
    gemma = Tokenizer.from_file(sys.argv[4])
    res["gemma_load_ms"] = (time.perf_counter() - t0) * 1e3
    res["gemma_english"] = bench(gemma, en_path, runs=3)
print(json.dumps(res))
