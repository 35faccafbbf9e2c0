"""Writes the small hand-made tokenizer.json fixtures of the tokenizer tests.

Run from this folder: python3 make_fixtures.py. The files are committed; the
script documents how they were made. Expected outputs in the Go tests were
recorded from HF tokenizers 0.23 by bench/tokenizer/hf_check.py
(hf_cases.json).
"""
import json


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def write(name, obj):
    with open(name, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def added(id_, content, special=True, lstrip=False, rstrip=False, single_word=False, normalized=False):
    return {"id": id_, "content": content, "single_word": single_word, "lstrip": lstrip,
            "rstrip": rstrip, "normalized": normalized, "special": special}


# 1. GPT-2 style byte-level BPE.
b2u = bytes_to_unicode()
vocab = {}
for b in range(256):
    vocab[b2u[b]] = len(vocab)
merges = [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "a"), ("Ġ", "w"), ("o", "r"),
          ("Ġw", "or"), ("l", "d"), ("Ġwor", "ld"), ("e", "r"), ("Ġ", "Ġ"), ("ĠĠ", "ĠĠ"),
          ("'", "s"), ("Ġa", "n"), ("Ġan", "d"), ("Ċ", "Ċ"), ("1", "2"), ("12", "3"),
          ("H", "e"), ("He", "l"), ("Hel", "l"), ("Hell", "o")]
for a, b in merges:
    vocab.setdefault(a + b, len(vocab))
n = len(vocab)
write("bpe_bytelevel.json", {
    "version": "1.0",
    "added_tokens": [added(n, "<|endoftext|>"), added(n + 1, "<mask>", special=True, lstrip=True),
                     added(n + 2, "[WORD]", special=False, single_word=True)],
    "normalizer": None,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
    "post_processor": {"type": "TemplateProcessing",
                       "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}],
                       "pair": [],
                       "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [n], "tokens": ["<|endoftext|>"]}}},
    "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
    "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
              "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
              "vocab": vocab, "merges": [a + " " + b for a, b in merges]},
})

# 2. SentencePiece-style BPE (Llama 2 layout): byte fallback, fused unk.
vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
for b in range(256):
    vocab["<0x%02X>" % b] = len(vocab)
for ch in ["▁", "a", "b", "c", "d", "e", "h", "l", "o", "r", "w", "t", "é", "日"]:
    vocab[ch] = len(vocab)
merges = [("▁", "h"), ("e", "l"), ("▁h", "el"), ("l", "o"), ("▁hel", "lo"), ("▁", "w"), ("o", "r"),
          ("▁w", "or"), ("l", "d"), ("▁wor", "ld"), ("▁", "▁"), ("a", "b")]
for a, b in merges:
    vocab.setdefault(a + b, len(vocab))
write("bpe_sentencepiece.json", {
    "version": "1.0",
    "added_tokens": [added(0, "<unk>"), added(1, "<s>"), added(2, "</s>")],
    "normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"},
                                                      {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
    "pre_tokenizer": None,
    "post_processor": {"type": "TemplateProcessing",
                       "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                       "pair": [],
                       "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
    "decoder": {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
        {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
    "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
              "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
              "vocab": vocab, "merges": [[a, b] for a, b in merges]},
})

# 3. Metaspace pre-tokenizer + decoder, BPE without byte fallback, unk not fused.
vocab = {"<unk>": 0}
for ch in ["▁", "a", "b", "c", "h", "i", "!"]:
    vocab[ch] = len(vocab)
merges = [("▁", "h"), ("▁h", "i"), ("a", "b"), ("ab", "c")]
for a, b in merges:
    vocab.setdefault(a + b, len(vocab))
write("bpe_metaspace.json", {
    "version": "1.0",
    "added_tokens": [added(0, "<unk>"), added(len(vocab), "<sep>")],
    "normalizer": {"type": "Lowercase"},
    "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": True},
    "post_processor": None,
    "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": True},
    "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
              "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
              "vocab": vocab, "merges": [[a, b] for a, b in merges]},
})

# 4. Unigram with Metaspace, NFKC.
pieces = [("<unk>", 0.0), ("<s>", 0.0), ("</s>", 0.0), ("▁", -2.0), ("▁the", -3.0), ("▁t", -4.0),
          ("he", -3.5), ("h", -5.0), ("e", -5.0), ("t", -5.0), ("▁cat", -4.0), ("c", -5.5), ("a", -5.0),
          ("at", -4.5), ("▁ca", -4.8), ("s", -5.0), ("▁sat", -4.2), ("sat", -6.0), ("▁fi", -6.0), ("fi", -5.5),
          ("n", -5.2), ("d", -5.3), ("▁find", -5.0), ("i", -5.1), ("f", -5.9)]
write("unigram.json", {
    "version": "1.0",
    "added_tokens": [added(0, "<unk>"), added(1, "<s>"), added(2, "</s>")],
    "normalizer": {"type": "NFKC"},
    "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
    "post_processor": {"type": "TemplateProcessing",
                       "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                       "pair": [],
                       "special_tokens": {"</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}},
    "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
    "model": {"type": "Unigram", "unk_id": 0, "vocab": [[p, s] for p, s in pieces], "byte_fallback": False},
})

# 5. BERT WordPiece.
vocab = {}
for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "un", "##aff",
          "##able", "runn", "##ing", ",", ".", "!", "hello", "中", "国", "cafe", "##s", "do", "n", "'", "t"]:
    vocab[t] = len(vocab)
write("wordpiece.json", {
    "version": "1.0",
    "added_tokens": [added(i, t) for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])],
    "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                   "strip_accents": None, "lowercase": True},
    "pre_tokenizer": {"type": "BertPreTokenizer"},
    "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
    "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
              "max_input_chars_per_word": 100, "vocab": vocab},
})
