"""Builds every fixture under testdata/models/ (see README.md). Each fixture runs in its own try/except.

usage: python3 make_all.py [--out DIR] [--only name,name] [--probe FILE]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import common  # noqa: E402
import text_models  # noqa: E402
import vlm_models  # noqa: E402


def probe(path):
    """Writes what the generators depend on: versions, backends, signatures, default processor configs."""
    import importlib
    import inspect

    import transformers

    lines = [json.dumps(common.versions())]
    for mod in ("PIL", "torchvision", "av", "decord", "cv2", "jinja2", "ml_dtypes", "safetensors", "numpy"):
        try:
            m = importlib.import_module(mod)
            lines.append(f"{mod}: {getattr(m, '__version__', '?')}")
        except Exception as e:  # noqa: BLE001
            lines.append(f"{mod}: NOT importable ({type(e).__name__})")
    names = ["Qwen2VLImageProcessorPil", "Qwen2VLImageProcessor", "Qwen2VLVideoProcessor", "Idefics3ImageProcessorPil",
             "SmolVLMImageProcessorPil", "SmolVLMVideoProcessor", "Gemma3ImageProcessorPil", "SiglipImageProcessorPil",
             "Qwen2VLProcessor", "Qwen2_5_VLProcessor", "Idefics3Processor", "SmolVLMProcessor", "PaliGemmaProcessor",
             "Gemma3Processor", "Qwen2VLConfig", "Qwen2VLTextConfig", "Qwen2_5_VLConfig", "Gemma3TextConfig",
             "Gemma3Config", "PaliGemmaConfig", "Idefics3Config", "SmolVLMConfig", "LlamaConfig",
             "PreTrainedTokenizerFast"]
    for n in names:
        cls = getattr(transformers, n, None)
        if cls is None:
            lines.append(f"{n}: MISSING")
            continue
        try:
            lines.append(f"{n}{inspect.signature(cls.__init__)}")
        except Exception as e:  # noqa: BLE001
            lines.append(f"{n}: signature error {e}")
        if n.endswith("ImageProcessorPil") or n.endswith("VideoProcessor"):
            try:
                lines.append("  defaults: " + json.dumps(cls().to_dict(), default=str)[:1500])
            except Exception as e:  # noqa: BLE001
                lines.append(f"  defaults error: {e}")
    for n in ("Qwen2VLModel", "Qwen2_5_VLModel"):
        cls = getattr(transformers, n, None)
        if cls is not None:
            for fn in ("get_rope_index", "get_image_features", "get_video_features"):
                if hasattr(cls, fn):
                    lines.append(f"{n}.{fn}{inspect.signature(getattr(cls, fn))}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(common.REPO_ROOT, "testdata", "models"))
    ap.add_argument("--only", default="")
    ap.add_argument("--probe", default="")
    ap.add_argument("--summary", default="")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(8)
    if args.probe:
        try:
            probe(args.probe)
        except Exception as e:  # noqa: BLE001
            print(f"probe failed: {e}", flush=True)
    os.makedirs(args.out, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    results = {}
    jobs = text_models.ALL + vlm_models.ALL
    for name, fn in jobs:
        if only and name not in only:
            continue
        t0 = time.time()
        common.guarded(results, name, fn, args.out)
        common.log(f"  {name}: {time.time() - t0:.1f}s")
    if not only or "mlx" in only or "qwen2_mlx" in only:
        import mlx_layout
        import transformers

        if os.path.exists(os.path.join(args.out, "qwen2", "reference.json")):
            common.guarded(results, "qwen2_mlx_4bit", mlx_layout.make_mlx, "qwen2", "qwen2_mlx_4bit", args.out,
                           transformers.Qwen2ForCausalLM, text_models._cases(text_models.CHAT),
                           {"model_type": "qwen2", "layout": "mlx-community (mlx-lm)"})
    import mlx_layout
    import transformers

    for family, src, dst, cls, cases, token in [
        ("qwen2_vl", "qwen2_vl", "qwen2_vl_mlx_4bit", transformers.Qwen2VLForConditionalGeneration,
         vlm_models._qwen_cases(), "<|image_pad|>"),
        ("smolvlm", "smolvlm", "smolvlm_mlx_4bit", transformers.SmolVLMForConditionalGeneration,
         vlm_models._idefics_cases(), "<image>"),
    ]:
        if only and dst not in only:
            continue
        if not os.path.exists(os.path.join(args.out, src, "reference.json")):
            continue
        tok = transformers.AutoTokenizer.from_pretrained(os.path.join(args.out, src))
        extra = {"image_token_ids": [tok.convert_tokens_to_ids(token)]}
        if family == "qwen2_vl":
            extra.update({"video_token_ids": [tok.convert_tokens_to_ids("<|video_pad|>")], "qwen_rope": True})
        else:
            extra["image_nesting"] = lambda ims: [ims]
        common.guarded(results, dst, mlx_layout.make_mlx_vlm, family, src, dst, args.out, cls, cases, extra,
                       {"model_type": family, "layout": "mlx-community (mlx-vlm)"})
    for name, r in results.items():
        common.log(f"{name}: {'ERROR ' + r['error'] if 'error' in r else 'ok'}")
    if args.summary:
        json.dump(results, open(args.summary, "w"), indent=1)


if __name__ == "__main__":
    main()
