#!/usr/bin/python3
"""PIL reference outputs for govlm's media package.

Run with Debian's Python and Pillow (apt-get install python3-pil python3-numpy):

    /usr/bin/python3 tools/refgen/pil/make_goldens.py            # writes media/testdata/pil_goldens.json
                                                                 # (and torch_goldens.json if python3-torch is there)
    /usr/bin/python3 tools/refgen/pil/make_goldens.py --full DIR # also dumps full decodes/resizes as raw RGB

The committed golden file stays small: outputs up to 32x32 are stored whole; larger ones as a SHA-256, per-channel
sums and a grid of sampled pixels (4 rows x 64 evenly spaced columns for resizes, 32x32 for decodes). The --full
dump is for local measurement only (see media tests: MEDIA_PIL_FULL).
"""
import argparse
import base64
import hashlib
import json
import os
import sys

import numpy as np
import PIL
from PIL import Image, ImageOps

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
IMAGES = os.path.join(os.path.dirname(ROOT), "shared", "testdata", "images")
OUT = os.path.join(ROOT, "media", "testdata", "pil_goldens.json")

FILTERS = {0: Image.NEAREST, 1: Image.LANCZOS, 2: Image.BILINEAR, 3: Image.BICUBIC, 4: Image.BOX, 5: Image.HAMMING}

# Source image -> target sizes (W, H): down, up, and mixed, non-uniform aspect.
RESIZES = {
    "tiny_17x3.png": [(5, 2), (40, 7), (17, 9), (3, 3)],
    "transparent_gradient_96x64.png": [(24, 16), (30, 50), (200, 10)],
    "checker_500x300.png": [(32, 32), (123, 77)],
    "astronaut.png": [(224, 224), (448, 448), (37, 61), (700, 301)],
    "chelsea.png": [(224, 224), (384, 255), (1000, 665)],
    "coffee_tall_31x1200.png": [(14, 560), (62, 100)],
    "coffee_wide_2000x40.png": [(448, 9), (1000, 80)],
    "gradient_640x480.png": [(320, 240)],
}

# Files whose decoding is checked, with the alpha policies to check.
DECODES = {
    "astronaut.png": ["drop"], "astronaut.bmp": ["drop"], "astronaut.gif": ["drop"], "astronaut.tiff": ["drop"],
    "astronaut.webp": ["drop"], "astronaut_lossless.webp": ["drop"], "astronaut.jpg": ["drop"],
    "astronaut_progressive.jpg": ["drop"], "astronaut_gray.jpg": ["drop"], "astronaut_cmyk.jpg": ["drop"],
    "astronaut_exif_rot6.jpg": ["drop"], "astronaut_gray16.png": ["drop", "on-white"],
    "astronaut_palette.png": ["drop", "on-white"], "logo.png": ["drop", "on-white"],
    "transparent_gradient_96x64.png": ["drop", "on-white"], "tiny_17x3.png": ["drop"], "tiny_1x1.png": ["drop"],
    "checker_500x300.png": ["drop", "on-white"], "camera.jpg": ["drop"], "chelsea.jpg": ["drop"],
    "coffee_large_3000x2000.jpg": ["drop"], "hubble_deep_field.jpg": ["drop"],
    "transparent.gif": ["drop", "on-white"],
    "gray_alpha.png": ["drop", "on-white"], "palette_trns.png": ["drop", "on-white"],
}


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode()


TESTDATA = os.path.join(ROOT, "media", "testdata")


def make_transparent_gif():
    """A palette GIF whose transparent index has a distinctive colour (Go's decoder blanks it; PIL keeps it)."""
    pal = []
    for i in range(256):
        pal += [(i * 37) % 256, (i * 91) % 256, (i * 53) % 256]
    a = (np.arange(12 * 5).reshape(5, 12) % 9).astype(np.uint8)
    im = Image.fromarray(a, "P")
    im.putpalette(pal)
    im.save(os.path.join(TESTDATA, "transparent.gif"), transparency=5)


def make_alpha_pngs():
    """Grey+alpha (LA) and palette+tRNS (P with per-entry alpha) PNGs, for PIL's LA and P conversions."""
    y, x = np.mgrid[0:7, 0:11]
    la = np.stack([(x * 23 + y * 5) % 256, (x * 29 + y * 31) % 256], axis=-1).astype(np.uint8)
    Image.fromarray(la, "LA").save(os.path.join(TESTDATA, "gray_alpha.png"))
    pal = []
    for i in range(16):
        pal += [(i * 17) % 256, (i * 101) % 256, (i * 61) % 256]
    p = Image.fromarray(((x + 2 * y) % 16).astype(np.uint8), "P")
    p.putpalette(pal)
    p.save(os.path.join(TESTDATA, "palette_trns.png"), transparency=bytes((i * 16) % 256 for i in range(16)))


def load(name, alpha):
    local = os.path.join(TESTDATA, name)
    im = Image.open(local if os.path.exists(local) else os.path.join(IMAGES, name))
    im = ImageOps.exif_transpose(im)
    if alpha == "drop":
        return im.convert("RGB")
    # transformers.image_transforms.convert_to_rgb
    if im.mode == "RGB":
        return im
    rgba = im.convert("RGBA")
    bg = Image.new("RGBA", rgba.size, (255, 255, 255))
    return Image.alpha_composite(bg, rgba).convert("RGB")


def record(a, ys, xs):
    h, w, _ = a.shape
    rec = {"w": w, "h": h, "sha256": hashlib.sha256(a.tobytes()).hexdigest(),
           "sums": [int(a[..., c].astype(np.int64).sum()) for c in range(3)]}
    if w * h <= 32 * 32:
        rec["rgb"] = b64(a)
    else:
        rec["ys"], rec["xs"] = ys, xs
        rec["grid"] = b64(a[np.ix_(ys, xs)])
    return rec


def spaced(n, k):
    return sorted(set(i * (n - 1) // (k - 1) for i in range(k))) if n > 1 else [0]


def float_goldens():
    """torch F.interpolate(antialias=True) on float32 CHW inputs (Debian's python3-torch), for media.ResizeCHW."""
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("torch not installed: no float_resize goldens", file=sys.stderr)
        return []
    recs = []
    for name, sizes in (("tiny_17x3.png", [(5, 2), (40, 7), (9, 3)]),
                        ("transparent_gradient_96x64.png", [(24, 16), (13, 29), (50, 6)])):
        a = np.asarray(load(name, "drop")).astype(np.float32) / np.float32(255)
        x = torch.from_numpy(np.ascontiguousarray(a.transpose(2, 0, 1)))[None]
        for (w, h) in sizes:
            for mode, code in (("bilinear", 2), ("bicubic", 3), ("nearest", 0)):
                kw = {} if mode == "nearest" else {"antialias": True, "align_corners": False}
                y = F.interpolate(x, size=(h, w), mode=mode, **kw)[0].numpy().astype("<f4")
                recs.append({"file": name, "filter": code, "w": w, "h": h,
                             "chw": base64.b64encode(y.tobytes()).decode(), "torch_version": torch.__version__})
    return recs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", help="also dump full raw RGB outputs into this directory")
    args = ap.parse_args()
    if not os.path.isdir(IMAGES):
        sys.exit(f"no test images at {IMAGES}")
    if args.full:
        os.makedirs(args.full, exist_ok=True)
    out = {"pil_version": PIL.__version__, "numpy_version": np.__version__,
           "generator": "tools/refgen/pil/make_goldens.py", "decode": [], "resize": []}
    make_transparent_gif()
    make_alpha_pngs()
    for name, modes in DECODES.items():
        for mode in modes:
            a = np.asarray(load(name, mode))
            h, w, _ = a.shape
            rec = record(a, spaced(h, 32), spaced(w, 32))
            rec.update(file=name, alpha=mode)
            out["decode"].append(rec)
            if args.full:
                a.tofile(os.path.join(args.full, f"decode_{name}_{mode}_{w}x{h}.rgb"))
    # EXIF orientation: tiny_17x3 saved as PNG (eXIf chunk) and lossless WebP (EXIF chunk) with each orientation,
    # kept in media/testdata, and PIL's exif_transpose of each.
    out["orient"] = []
    base = load("tiny_17x3.png", "drop")
    for o in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = o
        for ext, kw in (("png", {}), ("webp", {"lossless": True})):
            name = f"orient_{o}.{ext}"
            path = os.path.join(ROOT, "media", "testdata", name)
            base.save(path, exif=exif, **kw)
            a = np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("RGB"))
            rec = record(a, [], [])
            rec.update(file=name, alpha="drop", orientation=o)
            out["orient"].append(rec)
    for name, sizes in RESIZES.items():
        src = load(name, "drop")
        for (w, h) in sizes:
            for code, f in FILTERS.items():
                a = np.asarray(src.resize((w, h), f))
                rec = record(a, spaced(h, 4), spaced(w, 64))
                rec.update(file=name, filter=code)
                out["resize"].append(rec)
                if args.full:
                    a.tofile(os.path.join(args.full, f"resize_{name}_{code}_{w}x{h}.rgb"))
    floats = float_goldens()
    if floats:
        with open(OUT.replace("pil_goldens", "torch_goldens"), "w") as fh:
            json.dump({"float_resize": floats}, fh, indent=0, sort_keys=True)
            fh.write("\n")
    with open(OUT, "w") as fh:
        json.dump(out, fh, indent=0, sort_keys=True)
        fh.write("\n")
    print(f"wrote {OUT}: {len(out['decode'])} decodes, {len(out['resize'])} resizes, PIL {PIL.__version__}")


if __name__ == "__main__":
    main()
