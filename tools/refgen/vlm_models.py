"""VLM fixtures: qwen2_vl, qwen2_5_vl, idefics3, smolvlm, paligemma, gemma3."""

import inspect
import json
import os
import shutil

import torch
import transformers
from transformers import GenerationConfig

import templates
import toks
from common import (build_config, filter_inputs, init_weights, load_images, log, make_fixture, rope_kwargs,
                    save_model, uses_rope_parameters)
from text_models import DIMS, GEMMA3_EMBED_STD, gemma3_text_config_variants

IMG = "testdata/images/"
ASTRONAUT = IMG + "astronaut_64x48.png"
CHELSEA = IMG + "chelsea_80x80.png"
COFFEE = IMG + "coffee_33x71.png"
ROCKET = IMG + "rocket_96x60.png"
FRAMES = [IMG + f"video_frame_{i}.png" for i in range(4)]

STORY = "Tell me a short story about a cat, a rocket and a cup of coffee."
DESCRIBE = "Describe this image in one sentence."
COMPARE = "What is in this image? Compare the two pictures."


def image_processor(base, **kw):
    """The PIL backend (`<base>Pil`) when transformers has it, else `<base>`; returns (instance, backend)."""
    cls = getattr(transformers, base + "Pil", None)
    backend = "pil"
    if cls is None:
        cls = getattr(transformers, base)
        backend = "default(" + base + ")"
    return cls(**kw), backend


def token_kw(cls, names, value):
    """Sets the first of `names` that cls.__init__ accepts (token id fields were renamed across versions)."""
    params = inspect.signature(cls.__init__).parameters
    for n in names:
        if n in params:
            return {n: value}
    return {names[-1]: value}


def _pad64(n):
    return (n + 63) // 64 * 64


def _msg(*items):
    return [{"role": "user", "content": list(items)}]


def _img(path):
    return {"type": "image", "path": path}


def _txt(t):
    return {"type": "text", "text": t}


# --------------------------------------------------------------------------------------- 4.x layout

TOKENIZER_4X = {"qwen2_vl": "Qwen2TokenizerFast", "qwen2_5_vl": "Qwen2TokenizerFast", "idefics3": "PreTrainedTokenizerFast",
                "smolvlm": "GPT2TokenizerFast", "paligemma": "GemmaTokenizerFast", "gemma3": "GemmaTokenizerFast"}


# Families whose 5.17 save names the vision tower differently from the hub (4.x) checkpoints.
HUB_VISION_PREFIX = {"gemma3": ("vision_tower.", "vision_tower.vision_model."),
                     "paligemma": ("vision_tower.", "vision_tower.vision_model.")}


def derive_layout_4x(out_dir, family, check_case=None, ctx=None):
    """Writes <fixture>/layout_4x/: the files a transformers 4.x save has where 5.x differs:
    flat preprocessor_config.json (+ video_preprocessor_config.json), processor_config.json without the
    nested processors, chat_template.json, tokenizer_config.json with a 4.x tokenizer_class.
    Then loads a copy of the fixture with these files in place and checks the processor agrees."""
    d4 = os.path.join(out_dir, "layout_4x")
    os.makedirs(d4, exist_ok=True)
    pc = json.load(open(os.path.join(out_dir, "processor_config.json")))
    ip = dict(pc.pop("image_processor"))
    vp = pc.pop("video_processor", None)
    proc_class = pc.get("processor_class")
    t = ip.get("image_processor_type", "")
    if t.endswith("Pil"):
        ip["image_processor_type"] = t[: -len("Pil")]
    ip["processor_class"] = proc_class
    if family in ("qwen2_vl", "qwen2_5_vl"):
        ip["min_pixels"] = ip["size"]["shortest_edge"]
        ip["max_pixels"] = ip["size"]["longest_edge"]
    json.dump(ip, open(os.path.join(d4, "preprocessor_config.json"), "w"), indent=2)
    if vp is not None:
        vp = dict(vp)
        vp["processor_class"] = proc_class
        if family in ("qwen2_vl", "qwen2_5_vl") and "size" in vp:
            vp["min_pixels"] = vp["size"]["shortest_edge"]
            vp["max_pixels"] = vp["size"]["longest_edge"]
        json.dump(vp, open(os.path.join(d4, "video_preprocessor_config.json"), "w"), indent=2)
    if set(pc) - {"processor_class"}:
        json.dump(pc, open(os.path.join(d4, "processor_config.json"), "w"), indent=2)
    tmpl_path = os.path.join(out_dir, "chat_template.jinja")
    if os.path.exists(tmpl_path):
        json.dump({"chat_template": open(tmpl_path).read()}, open(os.path.join(d4, "chat_template.json"), "w"),
                  indent=2, ensure_ascii=False)
    tc = json.load(open(os.path.join(out_dir, "tokenizer_config.json")))
    tc["tokenizer_class"] = TOKENIZER_4X[family]
    json.dump(tc, open(os.path.join(d4, "tokenizer_config.json"), "w"), indent=2, ensure_ascii=False)
    if family in HUB_VISION_PREFIX:
        # transformers 5.17 saves the SigLIP tower as vision_tower.*; hub checkpoints (4.x) name it
        # vision_tower.vision_model.*: keep a copy of the weights under the hub names.
        from safetensors.torch import load_file, save_file

        old, new = HUB_VISION_PREFIX[family]
        w = load_file(os.path.join(out_dir, "model.safetensors"))
        w = {(new + k[len(old):] if k.startswith(old) and not k.startswith(new) else k): v for k, v in w.items()}
        save_file(w, os.path.join(d4, "model.safetensors"), metadata={"format": "pt"})

    # Check: a fixture copy in 4.x layout loads and tokenizes the same.
    result = {}
    tmp = out_dir.rstrip("/") + "_tmp4x"
    try:
        shutil.copytree(out_dir, tmp, ignore=shutil.ignore_patterns("layout_4x", "reference.*", "*.safetensors"))
        for f in ("processor_config.json", "chat_template.jinja"):
            if os.path.exists(os.path.join(tmp, f)):
                os.remove(os.path.join(tmp, f))
        for f in os.listdir(d4):
            shutil.copy(os.path.join(d4, f), os.path.join(tmp, f))
        p4 = transformers.AutoProcessor.from_pretrained(tmp)
        p5 = ctx["processor"]
        result["processor_class"] = type(p4).__name__
        result["image_processor_class"] = type(p4.image_processor).__name__
        result["chat_template_equal"] = p4.chat_template == p5.chat_template
        if check_case is not None:
            images = load_images(check_case["images"])
            if check_case.get("messages") is not None:
                prompt = p5.apply_chat_template(check_case["messages"], add_generation_prompt=True, tokenize=False)
            else:
                prompt = check_case["raw_text"]
            nest = ctx.get("image_nesting", lambda x: x)
            a = p5(text=[prompt], images=nest(images), return_tensors="pt")
            b = p4(text=[prompt], images=nest(images), return_tensors="pt")
            if os.path.exists(os.path.join(d4, "model.safetensors")):
                m4 = ctx["model_cls"].from_pretrained(tmp, dtype=torch.float32, attn_implementation="eager").eval()
                keep, _ = filter_inputs(m4, dict(a))
                with torch.no_grad():
                    l4 = m4(**keep, use_cache=False).logits
                    l5 = ctx["model"](**keep, use_cache=False).logits
                result["hub_named_weights_logits_max_abs_diff"] = float((l4 - l5).abs().max())
            result["input_ids_equal"] = a["input_ids"].tolist() == b["input_ids"].tolist()
            if "pixel_values" in a and "pixel_values" in b and a["pixel_values"].shape == b["pixel_values"].shape:
                result["pixel_values_max_abs_diff"] = float((a["pixel_values"] - b["pixel_values"]).abs().max())
            else:
                result["pixel_values_shapes"] = [list(a["pixel_values"].shape), list(b["pixel_values"].shape)]
    except Exception as e:  # noqa: BLE001
        result["error"] = f"{type(e).__name__}: {e}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"layout_4x check {family}: {result}")
    ref = os.path.join(out_dir, "reference.json")
    doc = json.load(open(ref))
    doc["layout_4x_check"] = result
    json.dump(doc, open(ref, "w"), indent=1, ensure_ascii=False)


def _after(family, check_case):
    return lambda out_dir, ctx, records: derive_layout_4x(out_dir, family, check_case, ctx)


def _finish(model, proc, out_dir, eos_names, bos_name=None, pad_name=None):
    tok = proc.tokenizer
    eos = [tok.convert_tokens_to_ids(t) for t in eos_names]
    model.generation_config = GenerationConfig(
        bos_token_id=tok.convert_tokens_to_ids(bos_name) if bos_name else tok.bos_token_id,
        eos_token_id=eos, pad_token_id=tok.convert_tokens_to_ids(pad_name) if pad_name else tok.pad_token_id)
    save_model(model, out_dir)
    proc.save_pretrained(out_dir)
    return set(eos)


# --------------------------------------------------------------------------------------- Qwen2-VL / 2.5

QWEN_MIN, QWEN_MAX = 4 * 28 * 28, 8 * 28 * 28


def _qwen_cases():
    return [
        {"name": "text_only", "messages": _msg(_txt(STORY))},
        {"name": "image", "messages": _msg(_img(ROCKET), _txt(DESCRIBE)), "images": [ROCKET]},
        {"name": "multi_image", "messages": _msg(_img(CHELSEA), _img(COFFEE), _txt(COMPARE)),
         "images": [CHELSEA, COFFEE],
         "notes": "chelsea 80x80 exceeds max_pixels (-> 56x56), coffee 33x71 is below min_pixels (-> 84x56)"},
        {"name": "video", "messages": _msg({"type": "video", "path": FRAMES}, _txt("Describe the video.")),
         "videos": [FRAMES], "notes": "video given as 4 PNG frames (no frame sampling); grid_t = 4/temporal_patch_size"},
    ]


def _qwen(out_root, name, model_cls, cfg_cls, proc_cls, vision):
    family = name

    def build(seed, out_dir):
        tok = toks.qwen_tokenizer(templates.QWEN2_VL, vl=True)
        ip, backend = image_processor("Qwen2VLImageProcessor", size={"shortest_edge": QWEN_MIN, "longest_edge": QWEN_MAX},
                                      patch_size=14, temporal_patch_size=2, merge_size=2)
        vp = transformers.Qwen2VLVideoProcessor(size={"shortest_edge": QWEN_MIN, "longest_edge": QWEN_MAX},
                                                patch_size=14, temporal_patch_size=2, merge_size=2)
        proc = proc_cls(image_processor=ip, tokenizer=tok, video_processor=vp, chat_template=templates.QWEN2_VL)
        tok = proc.tokenizer
        vocab = _pad64(len(tok))
        ids = {k: tok.convert_tokens_to_ids(v) for k, v in [("image_token_id", "<|image_pad|>"),
               ("video_token_id", "<|video_pad|>"), ("vision_start_token_id", "<|vision_start|>"),
               ("vision_end_token_id", "<|vision_end|>")]}
        text = dict(vocab_size=vocab, rms_norm_eps=1e-6, tie_word_embeddings=False, use_sliding_window=False,
                    bos_token_id=tok.convert_tokens_to_ids("<|endoftext|>"), eos_token_id=tok.eos_token_id,
                    **{k: v for k, v in DIMS.items() if k != "head_dim"})
        mrope = [2, 3, 3]
        variants = []
        if uses_rope_parameters():
            t1 = dict(text, rope_parameters={"rope_type": "default", "rope_theta": 1000000.0, "mrope_section": mrope})
            variants.append(dict(text_config=t1, vision_config=vision, tie_word_embeddings=False, **ids))
        t2 = dict(text, rope_theta=1000000.0, rope_scaling={"type": "mrope", "rope_type": "default", "mrope_section": mrope})
        variants.append(dict(text_config=t2, vision_config=vision, tie_word_embeddings=False, **ids))
        variants.append(dict(t2, vision_config=vision, **ids))
        cfg = build_config(cfg_cls, variants)
        if "mrope_section" not in json.dumps(cfg.to_dict()):
            raise RuntimeError("mrope_section missing from the built config")
        model = model_cls(cfg)
        init_weights(model, seed)
        eos = _finish(model, proc, out_dir, ["<|im_end|>", "<|endoftext|>"], bos_name="<|endoftext|>")
        return {"model_cls": model_cls, "processor": proc, "kind": "vlm", "eos_ids": eos,
                "image_token_ids": [ids["image_token_id"]], "video_token_ids": [ids["video_token_id"]],
                "qwen_rope": True, "after": _after(family, _qwen_cases()[2])}

    header = {"model_type": name, "chat_template": "Qwen/Qwen2-VL-2B-Instruct (= Qwen2.5-VL-3B-Instruct)",
              "processor_backend": "image: Qwen2VLImageProcessorPil (PIL); video: Qwen2VLVideoProcessor (torchvision)",
              "notes": f"min_pixels {QWEN_MIN}, max_pixels {QWEN_MAX}, patch 14, merge 2, temporal 2; "
                       "image_features/video_features = rows of the language model's inputs_embeds at "
                       "<|image_pad|>/<|video_pad|> positions; position_ids = get_rope_index (M-RoPE t,h,w)"}
    return make_fixture(name, out_root, build, _qwen_cases(), header)


def qwen2_vl(out_root):
    vision = dict(depth=2, embed_dim=32, hidden_size=64, num_heads=2, mlp_ratio=2, patch_size=14,
                  spatial_merge_size=2, temporal_patch_size=2, in_channels=3, hidden_act="quick_gelu")
    return _qwen(out_root, "qwen2_vl", transformers.Qwen2VLForConditionalGeneration, transformers.Qwen2VLConfig,
                 transformers.Qwen2VLProcessor, vision)


def qwen2_5_vl(out_root):
    vision = dict(depth=2, hidden_size=32, intermediate_size=64, num_heads=2, out_hidden_size=64, patch_size=14,
                  spatial_merge_size=2, temporal_patch_size=2, in_channels=3, hidden_act="silu",
                  window_size=56, fullatt_block_indexes=[1])
    return _qwen(out_root, "qwen2_5_vl", transformers.Qwen2_5_VLForConditionalGeneration,
                 transformers.Qwen2_5_VLConfig, transformers.Qwen2_5_VLProcessor, vision)


# --------------------------------------------------------------------------------------- Idefics3 / SmolVLM

def _idefics_cases():
    return [
        {"name": "text_only", "messages": _msg(_txt(STORY))},
        {"name": "image", "messages": _msg(_img(CHELSEA), _txt(DESCRIBE)), "images": [CHELSEA],
         "notes": "80x80 -> longest edge 64 -> 2x2 tiles of 32 + the global image"},
        {"name": "multi_image", "messages": _msg(_txt(COMPARE), _img(ASTRONAUT), _img(COFFEE)),
         "images": [ASTRONAUT, COFFEE], "notes": "images with different tile counts: pixel_values padded, "
                                                   "pixel_attention_mask marks the real ones"},
    ]


def _idefics(out_root, name):
    smol = name == "smolvlm"

    def build(seed, out_dir):
        tmpl = templates.SMOLVLM if smol else templates.IDEFICS3
        tok = toks.smollm_tokenizer(tmpl, vlm=name)
        ipkw = dict(do_resize=True, size={"longest_edge": 64}, resample=1, do_image_splitting=True,
                    max_image_size={"longest_edge": 32}, do_rescale=True, rescale_factor=1 / 255, do_normalize=True,
                    image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5], do_pad=True, do_convert_rgb=True)
        if smol:
            ip, backend = image_processor("SmolVLMImageProcessor", **ipkw)
            vp = None
            try:
                vp = transformers.SmolVLMVideoProcessor()
            except Exception as e:  # noqa: BLE001
                log(f"SmolVLMVideoProcessor: {e}")
            try:
                proc = transformers.SmolVLMProcessor(image_processor=ip, tokenizer=tok, video_processor=vp,
                                                     image_seq_len=4, chat_template=tmpl)
            except TypeError:
                proc = transformers.SmolVLMProcessor(image_processor=ip, tokenizer=tok, image_seq_len=4,
                                                     chat_template=tmpl)
            cfg_cls, model_cls, vcfg_type = transformers.SmolVLMConfig, transformers.SmolVLMForConditionalGeneration, "smolvlm_vision"
        else:
            ip, backend = image_processor("Idefics3ImageProcessor", **ipkw)
            proc = transformers.Idefics3Processor(image_processor=ip, tokenizer=tok, image_seq_len=4, chat_template=tmpl)
            cfg_cls, model_cls, vcfg_type = transformers.Idefics3Config, transformers.Idefics3ForConditionalGeneration, "idefics3_vision"
        tok = proc.tokenizer
        vocab = len(tok)
        image_id = tok.convert_tokens_to_ids("<image>")
        text = dict(model_type="llama", vocab_size=vocab, rms_norm_eps=1e-5, tie_word_embeddings=False,
                    bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                    **DIMS, **rope_kwargs(100000.0))
        vision = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                      image_size=32, patch_size=8, num_channels=3)
        base = dict(text_config=text, vision_config=vision, scale_factor=2, tie_word_embeddings=False,
                    pad_token_id=tok.pad_token_id, **token_kw(cfg_cls, ["image_token_id", "image_token_index"], image_id))
        cfg = build_config(cfg_cls, [base])
        model = model_cls(cfg)
        init_weights(model, seed)
        eos = _finish(model, proc, out_dir, ["<end_of_utterance>"] + (["<|im_end|>"] if smol else ["<|end_of_text|>"]))
        return {"model_cls": model_cls, "processor": proc, "kind": "vlm", "eos_ids": eos,
                "image_token_ids": [image_id], "image_nesting": lambda ims: [ims],
                "after": _after(name, _idefics_cases()[1]), "backend": backend}

    header = {"model_type": name,
              "chat_template": "HuggingFaceTB/SmolVLM-256M-Instruct" if smol else "HuggingFaceM4/Idefics3-8B-Llama3",
              "processor_backend": ("SmolVLMImageProcessorPil" if smol else "Idefics3ImageProcessorPil") + " (PIL, Lanczos resample=1)",
              "notes": "vision image_size 32, patch 8, scale_factor 2 -> 4 <image> tokens per tile; size.longest_edge 64, "
                       "max_image_size.longest_edge 32; image_features = rows of the text model's inputs_embeds at "
                       "<image> positions (connector output, in prompt order)"}
    return make_fixture(name, out_root, build, _idefics_cases(), header)


def idefics3(out_root):
    return _idefics(out_root, "idefics3")


def smolvlm(out_root):
    return _idefics(out_root, "smolvlm")


# --------------------------------------------------------------------------------------- PaliGemma

def paligemma(out_root):
    cases = [
        {"name": "caption", "raw_text": "caption en", "images": [ASTRONAUT], "add_special_tokens": "omit",
         "notes": "PaliGemma prompt: the processor builds <image>*16 + <bos> + text + '\\n'; prefix attends bidirectionally"},
        {"name": "question", "raw_text": "answer en what is this?", "images": [CHELSEA], "add_special_tokens": "omit"},
    ]

    def build(seed, out_dir):
        tok = toks.gemma_tokenizer(None, "paligemma")
        ip, backend = image_processor("SiglipImageProcessor", size={"height": 32, "width": 32}, resample=3,
                                      do_rescale=True, rescale_factor=1 / 255, do_normalize=True,
                                      image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5])
        ip.image_seq_length = 16
        proc = transformers.PaliGemmaProcessor(image_processor=ip, tokenizer=tok)
        tok = proc.tokenizer
        vocab = len(tok)
        image_id = tok.convert_tokens_to_ids("<image>")
        text = dict(model_type="gemma", vocab_size=vocab, rms_norm_eps=1e-6, hidden_activation="gelu_pytorch_tanh",
                    bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                    **DIMS, **rope_kwargs(10000.0))
        vision = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                      image_size=32, patch_size=8, num_channels=3, projection_dim=64)
        cls = transformers.PaliGemmaConfig
        base = dict(text_config=text, vision_config=vision, projection_dim=64, hidden_size=64,
                    **token_kw(cls, ["image_token_id", "image_token_index"], image_id))
        cfg = build_config(cls, [base])
        model = transformers.PaliGemmaForConditionalGeneration(cfg)
        init_weights(model, seed)
        eos = _finish(model, proc, out_dir, ["<eos>"])
        return {"model_cls": transformers.PaliGemmaForConditionalGeneration, "processor": proc, "kind": "vlm",
                "eos_ids": eos, "image_token_ids": [image_id], "image_nesting": lambda ims: [ims],
                "after": _after("paligemma", cases[0])}

    header = {"model_type": "paligemma", "chat_template": None,
              "processor_backend": "SiglipImageProcessorPil (PIL, bicubic) 32x32",
              "notes": "image_features = rows of the Gemma model's inputs_embeds at <image> positions, i.e. the "
                       "projector output divided by sqrt(text hidden) (PaliGemma scales before merging; Gemma then "
                       "multiplies all embeddings by sqrt(hidden))"}
    return make_fixture("paligemma", out_root, build, cases, header)


# --------------------------------------------------------------------------------------- Gemma 3

def gemma3(out_root):
    pns = {"do_pan_and_scan": True, "pan_and_scan_min_crop_size": 16, "pan_and_scan_max_num_crops": 4,
           "pan_and_scan_min_ratio_to_activate": 1.2}
    cases = [
        {"name": "text_only", "messages": _msg(_txt(STORY))},
        {"name": "image", "messages": _msg(_img(ASTRONAUT), _txt(DESCRIBE)), "images": [ASTRONAUT]},
        {"name": "multi_image", "messages": _msg(_txt(COMPARE), _img(CHELSEA), _img(COFFEE)),
         "images": [CHELSEA, COFFEE]},
        {"name": "pan_and_scan", "messages": _msg(_img(ROCKET), _txt(DESCRIBE)), "images": [ROCKET],
         "call_kwargs": pns, "notes": "pan-and-scan requested in the processor call (processor_call_kwargs); "
                                       "96x60 -> 2 crops + the whole image"},
    ]

    def build(seed, out_dir):
        tok = toks.gemma_tokenizer(templates.GEMMA3, "gemma3")
        ip, backend = image_processor("Gemma3ImageProcessor", size={"height": 32, "width": 32}, resample=2,
                                      do_rescale=True, rescale_factor=1 / 255, do_normalize=True,
                                      image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5], do_pan_and_scan=False,
                                      pan_and_scan_min_crop_size=16, pan_and_scan_max_num_crops=4,
                                      pan_and_scan_min_ratio_to_activate=1.2)
        proc = transformers.Gemma3Processor(image_processor=ip, tokenizer=tok, chat_template=templates.GEMMA3,
                                            image_seq_length=4)
        tok = proc.tokenizer
        vocab = len(tok)
        cls = transformers.Gemma3Config
        ids = {}
        ids.update(token_kw(cls, ["boi_token_id", "boi_token_index"], tok.convert_tokens_to_ids("<start_of_image>")))
        ids.update(token_kw(cls, ["eoi_token_id", "eoi_token_index"], tok.convert_tokens_to_ids("<end_of_image>")))
        image_id = tok.convert_tokens_to_ids("<image_soft_token>")
        ids.update(token_kw(cls, ["image_token_id", "image_token_index"], image_id))
        vision = dict(model_type="siglip_vision_model", hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                      num_attention_heads=2, image_size=32, patch_size=8, num_channels=3, vision_use_head=False)
        variants = [dict(text_config=t, vision_config=vision, mm_tokens_per_image=4, **ids)
                    for t in gemma3_text_config_variants(vocab, tok, None)]
        cfg = build_config(cls, variants)
        model = transformers.Gemma3ForConditionalGeneration(cfg)
        init_weights(model, seed, embed_std=GEMMA3_EMBED_STD)
        eos = _finish(model, proc, out_dir, ["<eos>", "<end_of_turn>"])
        return {"model_cls": transformers.Gemma3ForConditionalGeneration, "processor": proc, "kind": "vlm",
                "eos_ids": eos, "image_token_ids": [image_id], "image_nesting": lambda ims: [ims],
                "after": _after("gemma3", cases[1])}

    header = {"model_type": "gemma3", "chat_template": "google/gemma-3-4b-it",
              "processor_backend": "Gemma3ImageProcessorPil (PIL, bilinear) 32x32",
              "notes": "siglip 32px/patch 8 -> 4x4 patches, avg-pooled 2x2 -> mm_tokens_per_image 4; text as the "
                       "gemma3_text fixture (sliding 8 / full, linear x8 global rope) without softcapping; "
                       "image_features = rows of the language model's inputs_embeds at <image_soft_token> positions"}
    return make_fixture("gemma3", out_root, build, cases, header)


ALL = [("qwen2_vl", qwen2_vl), ("idefics3", idefics3), ("smolvlm", smolvlm), ("qwen2_5_vl", qwen2_5_vl),
       ("paligemma", paligemma), ("gemma3", gemma3)]
