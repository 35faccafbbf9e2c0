"""mlx-community layout: a 4-bit affine-quantized copy of a text fixture, as mlx-lm saves it.

Weight names are the Hugging Face ones (mlx-lm keeps them for llama/qwen2); every Linear and Embedding whose
input dimension is a multiple of the group size is replaced by three tensors:
  <name>.weight  U32 [out, in*bits/32]  codes packed little-endian, lowest bits first (8 codes per word)
  <name>.scales  BF16 [out, in/group]
  <name>.biases  BF16 [out, in/group]
with w = scales * q + biases per group (MLX's affine quantization, re-implemented here in numpy).
config.json gets "quantization" and "quantization_config" = {"group_size": 64, "bits": 4}.
The reference is computed by torch with the DEQUANTIZED weights (float32), so Go can be compared exactly.
"""

import json
import os
import shutil

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from common import GENERATOR, load_reference_model, log, run_case, write_reference

GROUP, BITS = 64, 4


def quantize(w, group=GROUP, bits=BITS):
    """w float32 [N, K] -> (words uint32 [N, K*bits/32], scales f32 [N, K/group], biases f32 [N, K/group])."""
    n, k = w.shape
    g = w.reshape(n, k // group, group).astype(np.float32)
    n_bins = float((1 << bits) - 1)
    w_max, w_min = g.max(-1, keepdims=True), g.min(-1, keepdims=True)
    mask = np.abs(w_min) > np.abs(w_max)
    scales = np.maximum((w_max - w_min) / n_bins, np.float32(1e-7)).astype(np.float32)
    scales = np.where(mask, scales, -scales)
    edge = np.where(mask, w_min, w_max)
    q0 = np.round(edge / scales)
    scales = np.where(q0 != 0, edge / np.where(q0 == 0, 1, q0), scales).astype(np.float32)
    biases = np.where(q0 == 0, 0, edge).astype(np.float32)
    q = np.clip(np.round((g - biases) / scales), 0, n_bins).astype(np.uint32).reshape(n, k)
    per = 32 // bits
    q = q.reshape(n, k // per, per)
    words = np.zeros((n, k // per), dtype=np.uint32)
    for i in range(per):
        words |= q[..., i] << np.uint32(bits * i)
    return words, scales[..., 0], biases[..., 0]


def dequantize(words, scales, biases, group=GROUP, bits=BITS):
    n = words.shape[0]
    per = 32 // bits
    q = np.stack([(words >> np.uint32(bits * i)) & np.uint32((1 << bits) - 1) for i in range(per)], -1)
    q = q.reshape(n, -1).astype(np.float32)
    k = q.shape[1]
    q = q.reshape(n, k // group, group)
    return (q * scales[..., None] + biases[..., None]).reshape(n, k).astype(np.float32)


def _bf16_round(a):
    return torch.from_numpy(a).to(torch.bfloat16)


def make_mlx(src_name, dst_name, out_root, model_cls, cases, header_extra):
    src = os.path.join(out_root, src_name)
    dst = os.path.join(out_root, dst_name)
    if os.path.exists(dst):
        shutil.rmtree(dst)
    os.makedirs(dst)
    for f in os.listdir(src):
        if f.endswith(".json") and not f.startswith("reference") or f.endswith(".jinja"):
            shutil.copy(os.path.join(src, f), os.path.join(dst, f))
    weights = load_file(os.path.join(src, "model.safetensors"))
    model = load_reference_model(model_cls, src)
    quantizable = set()
    for mname, mod in model.named_modules():
        if isinstance(mod, (torch.nn.Linear, torch.nn.Embedding)) and mod.weight.shape[-1] % GROUP == 0:
            quantizable.add(mname + ".weight")
    out, deq = {}, {}
    for name, t in weights.items():
        if name in quantizable and t.ndim == 2:
            words, s, b = quantize(t.float().numpy())
            s_bf, b_bf = _bf16_round(s), _bf16_round(b)
            base = name[: -len(".weight")]
            out[name] = torch.from_numpy(words.view(np.int32)).view(torch.uint32)
            out[base + ".scales"] = s_bf
            out[base + ".biases"] = b_bf
            deq[name] = torch.from_numpy(dequantize(words, s_bf.float().numpy(), b_bf.float().numpy()))
        else:
            out[name] = t
    save_file(out, os.path.join(dst, "model.safetensors"), metadata={"format": "mlx"})
    total = sum(v.numel() * v.element_size() for v in out.values())
    json.dump({"metadata": {"total_size": total}, "weight_map": {k: "model.safetensors" for k in sorted(out)}},
              open(os.path.join(dst, "model.safetensors.index.json"), "w"), indent=4)
    cfg = json.load(open(os.path.join(dst, "config.json")))
    cfg["quantization"] = {"group_size": GROUP, "bits": BITS}
    cfg["quantization_config"] = {"group_size": GROUP, "bits": BITS}
    json.dump(cfg, open(os.path.join(dst, "config.json"), "w"), indent=4)
    # Reference: the same architecture with the dequantized weights.
    with torch.no_grad():
        params = dict(model.named_parameters())
        for name, w in deq.items():
            if name in params:
                params[name].copy_(w)
            else:
                log(f"mlx {dst_name}: {name} not a parameter (tied?)")
        if getattr(model.config, "tie_word_embeddings", False) and "lm_head.weight" not in weights:
            model.tie_weights()
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(src)
    gen = model.generation_config
    eos = gen.eos_token_id if isinstance(gen.eos_token_id, list) else [gen.eos_token_id]
    ctx = {"model": model, "processor": tok, "kind": "text", "tensors": {}, "eos_ids": set(eos)}
    records = [run_case(ctx, c) for c in cases]
    header = {"generator": GENERATOR, "fixture": dst_name, "source_fixture": src_name, "weights_dtype":
              f"mlx affine {BITS}-bit, group {GROUP} (scales/biases bf16); unquantized tensors bf16",
              "reference_dtype": "float32 (dequantized weights)", "attn_implementation": "eager", "device": "cpu",
              "quantized_tensors": sorted(quantizable & set(weights)),
              "processor_backend": "tokenizer only (tokenizers backend)"}
    header.update(header_extra)
    write_reference(dst, header, records, ctx["tensors"])
    return {"fixture": dst_name, "cases": [r["name"] for r in records],
            "quantized": len(quantizable & set(weights))}


# --------------------------------------------------------------------------------------- mlx-vlm

# Per family: transformers 5.x parameter names -> checkpoint names, checkpoint names -> mlx-vlm names (its
# Model.sanitize), and the conv weight that mlx-vlm stores channels-last with its permutation.
MLX_VLM_SPECS = {
    "qwen2_vl": {
        "hf_to_ckpt": [("model.language_model.", "model."), ("model.visual.", "visual.")],
        "ckpt_to_mlx": [("model.", "language_model.model."), ("lm_head.", "language_model.lm_head."),
                        ("visual.", "vision_tower.")],
        "conv": ("patch_embed.proj.weight", (0, 2, 3, 4, 1)),
        "backend": "image: Qwen2VLImageProcessorPil (PIL); video: Qwen2VLVideoProcessor (torchvision)",
    },
    "smolvlm": {
        "hf_to_ckpt": [],
        "ckpt_to_mlx": [("model.text_model.", "language_model."), ("model.vision_model.", "vision_model."),
                        ("model.connector.", "connector."), ("lm_head.", "language_model.lm_head.")],
        "conv": ("patch_embedding.weight", (0, 2, 3, 1)),
        "backend": "SmolVLMImageProcessorPil (PIL, Lanczos resample=1)",
    },
}


def _rename(name, pairs):
    for a, b in pairs:
        if name.startswith(a):
            return b + name[len(a):]
    return name


def make_mlx_vlm(family, src_name, dst_name, out_root, model_cls, cases, ctx_extra, header_extra):
    """A VLM fixture in the mlx-community (mlx-vlm) layout: mlx-vlm tensor names, the patch-embedding conv
    channels-last, every Linear/Embedding with in-dim % 64 == 0 quantized (mlx-vlm's default predicate,
    vision included), the 4.x processor files (as mlx-community repos carry them)."""
    import transformers

    spec = MLX_VLM_SPECS[family]
    src = os.path.join(out_root, src_name)
    dst = os.path.join(out_root, dst_name)
    if os.path.exists(dst):
        shutil.rmtree(dst)
    os.makedirs(dst)
    for f in ("config.json", "generation_config.json", "tokenizer.json"):
        shutil.copy(os.path.join(src, f), os.path.join(dst, f))
    for f in os.listdir(os.path.join(src, "layout_4x")):
        if not f.endswith(".safetensors"):
            shutil.copy(os.path.join(src, "layout_4x", f), os.path.join(dst, f))
    weights = load_file(os.path.join(src, "model.safetensors"))
    model = load_reference_model(model_cls, src)
    params = dict(model.named_parameters())
    ckpt_to_hf = {_rename(p, spec["hf_to_ckpt"]): p for p in params}
    missing = [k for k in weights if k not in ckpt_to_hf]
    if missing:
        raise RuntimeError(f"checkpoint keys without a parameter: {missing[:5]}")
    quantizable = set()
    for mname, mod in model.named_modules():
        if isinstance(mod, (torch.nn.Linear, torch.nn.Embedding)) and mod.weight.shape[-1] % GROUP == 0:
            quantizable.add(_rename(mname + ".weight", spec["hf_to_ckpt"]))
    conv_suffix, perm = spec["conv"]
    out, deq = {}, {}
    for name, t in weights.items():
        mname = _rename(name, spec["ckpt_to_mlx"])
        if name in quantizable and t.ndim == 2:
            words, s, b = quantize(t.float().numpy())
            s_bf, b_bf = _bf16_round(s), _bf16_round(b)
            base = mname[: -len(".weight")]
            out[mname] = torch.from_numpy(words.view(np.int32)).view(torch.uint32)
            out[base + ".scales"] = s_bf
            out[base + ".biases"] = b_bf
            deq[ckpt_to_hf[name]] = torch.from_numpy(dequantize(words, s_bf.float().numpy(), b_bf.float().numpy()))
        elif name.endswith(conv_suffix) and t.ndim == len(perm):
            out[mname] = t.permute(*perm).contiguous()
        else:
            out[mname] = t
    save_file(out, os.path.join(dst, "model.safetensors"), metadata={"format": "mlx"})
    total = sum(v.numel() * v.element_size() for v in out.values())
    json.dump({"metadata": {"total_size": total}, "weight_map": {k: "model.safetensors" for k in sorted(out)}},
              open(os.path.join(dst, "model.safetensors.index.json"), "w"), indent=4)
    cfg = json.load(open(os.path.join(dst, "config.json")))
    cfg["quantization"] = {"group_size": GROUP, "bits": BITS}
    cfg["quantization_config"] = {"group_size": GROUP, "bits": BITS}
    json.dump(cfg, open(os.path.join(dst, "config.json"), "w"), indent=4)
    with torch.no_grad():
        for pname, w in deq.items():
            params[pname].copy_(w)
    proc = transformers.AutoProcessor.from_pretrained(src)
    gen = model.generation_config
    eos = gen.eos_token_id if isinstance(gen.eos_token_id, list) else [gen.eos_token_id]
    ctx = {"model": model, "processor": proc, "kind": "vlm", "tensors": {}, "eos_ids": set(eos)}
    ctx.update(ctx_extra)
    records = [run_case(ctx, c) for c in cases]
    header = {"generator": GENERATOR, "fixture": dst_name, "source_fixture": src_name,
              "weights_dtype": f"mlx affine {BITS}-bit, group {GROUP} (scales/biases bf16); other tensors bf16",
              "reference_dtype": "float32 (dequantized weights)", "attn_implementation": "eager", "device": "cpu",
              "quantized_tensors": sorted(_rename(k, spec["ckpt_to_mlx"]) for k in quantizable & set(weights)),
              "processor_backend": spec["backend"]}
    header.update(header_extra)
    write_reference(dst, header, records, ctx["tensors"])
    return {"fixture": dst_name, "cases": [r["name"] for r in records],
            "quantized": len(quantizable & set(weights))}
