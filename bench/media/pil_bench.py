#!/usr/bin/python3
"""PIL + numpy timings of the operations in media/bench_test.go, for bench/RESULTS.md.

Run with Debian's Python (apt-get install python3-pil python3-numpy):
    /usr/bin/python3 bench/media/pil_bench.py [path/to/coffee_large_3000x2000.jpg]
PIL's decode and resize run on one thread, so compare with `go test -bench . -cpu 1` (and -cpu 2 for the parallel split).
"""
import io
import os
import sys
import time

import numpy as np
import PIL
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "..", "..", "shared", "testdata", "images", "coffee_large_3000x2000.jpg")
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def timeit(fn, min_time=2.0, min_runs=5):
    """Wall time (min, median) and mean process CPU time per call."""
    times = []
    start = time.perf_counter()
    cpu0 = time.process_time()
    while len(times) < min_runs or time.perf_counter() - start < min_time:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    cpu = (time.process_time() - cpu0) / len(times)
    times.sort()
    return times[0], times[len(times) // 2], cpu, len(times)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    data = open(path, "rb").read()

    def decode():
        im = Image.open(io.BytesIO(data))
        im.load()
        return im.convert("RGB")

    src = decode()

    def normalise(im):
        a = np.asarray(im).astype(np.float32) * np.float32(1 / 255)
        return ((a - MEAN) / STD).transpose(2, 0, 1).copy()

    cases = [
        ("DecodeJPEG3000x2000", decode),
        ("ResizeBicubic3000x2000To448", lambda: src.resize((448, 448), Image.BICUBIC)),
        ("ResizeBicubic3000x2000To1456", lambda: src.resize((1456, 970), Image.BICUBIC)),
        ("ResizeBilinear3000x2000To448", lambda: src.resize((448, 448), Image.BILINEAR)),
        ("ResizeLanczos3000x2000To1456", lambda: src.resize((1456, 970), Image.LANCZOS)),
        ("PipelineTo448", lambda: normalise(decode().resize((448, 448), Image.BICUBIC))),
        ("PipelineTo1456", lambda: normalise(decode().resize((1456, 970), Image.BICUBIC))),
    ]
    print(f"PIL {PIL.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    for name, fn in cases:
        best, median, cpu, n = timeit(fn)
        print(f"{name:32s} min {best * 1e3:8.2f} ms   median {median * 1e3:8.2f} ms   cpu {cpu * 1e3:8.2f} ms/op   ({n} runs)")


if __name__ == "__main__":
    main()
