"""Tiny tokenizers trained on the device with the `tokenizers` library.

Each builder mimics one family's real pipeline (normalizer, pre-tokenizer, model options, decoder,
post-processor, special tokens), at a vocabulary of a few hundred entries, so that govlm's tokenizer is
exercised on the same kind of tokenizer.json it meets on the hub.
"""

import codecs
import json
import os
from pathlib import Path

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

# The split regex of Qwen2 / Qwen2-VL / Qwen2.5 tokenizer.json.
QWEN_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# Sentences of the reference prompts: repeated in the training text so their words get merges.
PROMPT_SENTENCES = [
    "What is the capital of France? The capital of France is Paris.",
    "And of Italy? Answer in one word.",
    "Describe this image in one sentence.",
    "What is in this image? Compare the two pictures.",
    "Describe the video. What happens in these frames?",
    "Tell me a short story about a cat, a rocket and a cup of coffee.",
    "You are a helpful assistant. Hello, how are you today?",
    "The quick brown fox jumps over the lazy dog.",
    "caption en", "answer en what is this?", "Once upon a time there was a little model.",
]

# Plain English, so that common words get merges too (the Python sources are mostly code).
ENGLISH = (
    "The people of the town said that there was a long way to go. What would you like to see? "
    "We can make a picture of the water, the sun and the moon. She had been there for a short time, "
    "and then they came back with more people. This is the first time that I have seen it. "
    "How many are there in the image? It was a good day, and the cat sat on the table near the window. "
    "The capital of a country is the city where its government is. Answer the question in one word. "
    "Describe what you see: a man, a woman, a dog, a car, a house, a tree, a cup, a rocket, a coffee. "
    "Compare the two pictures and tell me what is different. Hello, how are you? Thank you very much."
)


def _corpus_extra():
    return PROMPT_SENTENCES * 200 + [ENGLISH] * 200


def training_corpus():
    """A deterministic list of training strings: Python's own sources and docs, `import this`, prompts."""
    import this  # noqa: F401  (the Zen of Python, rot13-encoded in this.s)

    texts = [codecs.decode(this.s, "rot13")]
    stdlib = Path(os.__file__).parent
    for name in [
        "argparse.py", "textwrap.py", "json/__init__.py", "json/decoder.py", "dataclasses.py", "functools.py",
        "random.py", "string.py", "enum.py", "calendar.py", "logging/__init__.py", "fractions.py", "statistics.py",
    ]:
        p = stdlib / name
        if p.exists():
            texts.append(p.read_text(encoding="utf-8", errors="ignore")[:40000])
    for lic in [stdlib / "LICENSE.txt", Path("/usr/share/common-licenses/Apache-2.0")]:
        if lic.exists():
            texts.append(lic.read_text(encoding="utf-8", errors="ignore")[:30000])
    texts += _corpus_extra()
    lines = []
    for t in texts:
        lines += [ln for ln in t.split("\n\n") if ln.strip()]
    return lines


def _added(content, special=True):
    return AddedToken(content, special=special, normalized=False, lstrip=False, rstrip=False, single_word=False)


def qwen_bytelevel(vocab_size, specials):
    """Qwen2-style byte-level BPE: NFC, Qwen split regex, ByteLevel without regex; specials appended last."""
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(training_corpus(), trainer)
    tok.post_processor = processors.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    tok.add_special_tokens([_added(s) for s in specials])
    return tok


def gpt2_bytelevel(vocab_size, front_specials, back_specials=(), back_plain=(), bos_template=None):
    """SmolLM2-style byte-level BPE: individual digits + GPT-2 ByteLevel regex; specials first (ids 0..).

    back_specials are appended after training as special added tokens, back_plain as non-special added
    tokens. bos_template, when set, adds a TemplateProcessing post-processor that prepends that token
    (Llama 3 style); otherwise the ByteLevel post-processor is used (SmolLM2 adds nothing).
    """
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, show_progress=False,
                                  special_tokens=[_added(s) for s in front_specials],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(training_corpus(), trainer)
    tok.add_special_tokens([_added(s) for s in back_specials])
    if back_plain:
        tok.add_tokens([_added(s, special=False) for s in back_plain])
    if bos_template:
        bid = tok.token_to_id(bos_template)
        tok.post_processor = processors.TemplateProcessing(
            single=f"{bos_template}:0 $A:0", pair=f"{bos_template}:0 $A:0 {bos_template}:1 $B:1",
            special_tokens=[(bos_template, bid)])
    else:
        tok.post_processor = processors.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)
    return tok


def sentencepiece_bpe(vocab_size, front_specials, back_specials, gemma3_split):
    """Gemma-style BPE with byte fallback: spaces become U+2581 in the normalizer, no pre-tokenizer
    (Gemma 3: a Split on ' ' that is a no-op after the normalizer, as in the real tokenizer.json),
    <0x00>..<0xFF> byte tokens right after the leading specials, <bos> prepended by the post-processor.
    """
    # Train on words (split before each U+2581) so that merges never cross a word start, as SentencePiece.
    t = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    t.normalizer = normalizers.Replace(" ", "\u2581")
    t.pre_tokenizer = pre_tokenizers.Split("\u2581", behavior="merged_with_next")
    n_front = len(front_specials) + 256
    trainer = trainers.BpeTrainer(vocab_size=vocab_size - n_front, min_frequency=2, show_progress=False,
                                  limit_alphabet=110)
    t.train_from_iterator(training_corpus(), trainer)
    trained = json.loads(t.to_str())["model"]
    vocab = {}
    for s in front_specials:
        vocab[s] = len(vocab)
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    for piece, _ in sorted(trained["vocab"].items(), key=lambda kv: kv[1]):
        if piece not in vocab:
            vocab[piece] = len(vocab)
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ", 1)) for m in trained["merges"]]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = normalizers.Replace(" ", "\u2581")
    if gemma3_split:
        tok.pre_tokenizer = pre_tokenizers.Split(" ", behavior="merged_with_previous", invert=False)
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse()])
    tok.add_special_tokens([_added(s) for s in front_specials if s != "<mask>"])
    tok.add_tokens([_added("<mask>", special=False)] if "<mask>" in front_specials else [])
    tok.add_special_tokens([_added(s) for s in back_specials])
    bos = vocab["<bos>"]
    tok.post_processor = processors.TemplateProcessing(
        single="<bos>:0 $A:0", pair="<bos>:0 $A:0 <bos>:1 $B:1", special_tokens=[("<bos>", bos)])
    return tok


def wrap(tok, **kwargs):
    """Wraps a tokenizers.Tokenizer as a transformers fast tokenizer (kwargs: bos/eos/pad/unk tokens,
    extra_special_tokens, chat_template...)."""
    from transformers import PreTrainedTokenizerFast

    chat_template = kwargs.pop("chat_template", None)
    hf = PreTrainedTokenizerFast(tokenizer_object=tok, clean_up_tokenization_spaces=False, **kwargs)
    if chat_template is not None:
        hf.chat_template = chat_template
    return hf


QWEN_VL_SPECIALS = [
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
    "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>",
    "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>",
]


def qwen_tokenizer(template, vl):
    """Qwen2 / Qwen2-VL tokenizer: eos <|im_end|>, pad <|endoftext|>, no bos."""
    specials = QWEN_VL_SPECIALS if vl else QWEN_VL_SPECIALS[:3]
    tok = qwen_bytelevel(900, specials)
    extra = {}
    if vl:
        extra = {"image_token": "<|image_pad|>", "video_token": "<|video_pad|>",
                 "vision_bos_token": "<|vision_start|>", "vision_eos_token": "<|vision_end|>"}
    kw = dict(eos_token="<|im_end|>", pad_token="<|endoftext|>", chat_template=template)
    if extra:
        kw["extra_special_tokens"] = extra
    return wrap(tok, **kw)


SMOL_ROWCOL = [f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)]


def smollm_tokenizer(template, vlm=None):
    """SmolLM2 tokenizer (bos <|im_start|>, eos <|im_end|>); vlm='smolvlm' adds the SmolVLM image tokens
    (eos <end_of_utterance>), vlm='idefics3' the same plus a Llama-3 style <|begin_of_text|> bos that the
    post-processor prepends."""
    front = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    if vlm is None:
        tok = gpt2_bytelevel(900, front)
        return wrap(tok, bos_token="<|im_start|>", eos_token="<|im_end|>", pad_token="<|im_end|>",
                    unk_token="<|endoftext|>", chat_template=template)
    image_specials = ["<global-img>"] + SMOL_ROWCOL + ["<fake_token_around_image>", "<image>", "<end_of_utterance>"]
    extra = {"fake_image_token": "<fake_token_around_image>", "image_token": "<image>",
             "end_of_utterance_token": "<end_of_utterance>", "global_image_token": "<global-img>"}
    if vlm == "idefics3":
        tok = gpt2_bytelevel(900, ["<|begin_of_text|>", "<|end_of_text|>"] + front, image_specials,
                             bos_template="<|begin_of_text|>")
        return wrap(tok, bos_token="<|begin_of_text|>", eos_token="<end_of_utterance>", pad_token="<|end_of_text|>",
                    unk_token="<|endoftext|>", extra_special_tokens=extra, chat_template=template)
    tok = gpt2_bytelevel(900, front, image_specials)
    return wrap(tok, bos_token="<|im_start|>", eos_token="<end_of_utterance>", pad_token="<|im_end|>",
                unk_token="<|endoftext|>", extra_special_tokens=extra, chat_template=template)


def gemma_tokenizer(template, variant):
    """variant: 'gemma' (Gemma 1/2 style, no pre-tokenizer), 'paligemma' (+ <image>), 'gemma3'."""
    front = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>", "<start_of_turn>", "<end_of_turn>"]
    if variant == "gemma3":
        tok = sentencepiece_bpe(1000, front, ["<start_of_image>", "<end_of_image>", "<image_soft_token>"], True)
        extra = {"image_token": "<image_soft_token>", "boi_token": "<start_of_image>", "eoi_token": "<end_of_image>"}
        return wrap(tok, bos_token="<bos>", eos_token="<end_of_turn>", pad_token="<pad>", unk_token="<unk>",
                    extra_special_tokens=extra, chat_template=template)
    back = ["<image>"] if variant == "paligemma" else []
    tok = sentencepiece_bpe(1000, front, back, False)
    kw = dict(bos_token="<bos>", eos_token="<eos>", pad_token="<pad>", unk_token="<unk>")
    if template is not None:
        kw["chat_template"] = template
    if variant == "paligemma":
        kw["extra_special_tokens"] = {"image_token": "<image>"}
    return wrap(tok, **kw)
