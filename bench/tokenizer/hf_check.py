"""Records HF tokenizers' outputs for the tokenizer package's test fixtures.

Usage: python3 hf_check.py <tokenizer/testdata dir> <out.json>
Run on a machine with `tokenizers` installed; the output is committed as
tokenizer/testdata/hf_cases.json and checked by hf_cases_test.go.
"""
import json
import sys

import tokenizers
from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers

tdir, out_path = sys.argv[1], sys.argv[2]

TEXTS = {
    "bpe_bytelevel.json": [
        "Hello world", "the cat and the hat", " leading space", "trailing   ", "a\n\nb", "123456 1234",
        "it's John's", "x<|endoftext|>y", "a <mask> b", "a<mask>b", "say [WORD] now", "say[WORD]now",
        "naïve 日本 😀", "", "   ", "tab\there",
    ],
    "bpe_sentencepiece.json": [
        "hello world", "Hello", "hello  world", " hello", "abab", "é日", "xyz", "q", "<s>hello</s>", "",
        "hello\nworld", "zzz hello",
    ],
    "bpe_metaspace.json": ["hi abc", "Hi ABC!", "  hi", "hi<sep>hi", "<sep>hi", "xyz hi", "abcabc", ""],
    "unigram.json": ["the cat sat", "The cat sat", "find the cats", "xyz the", "ｔｈｅ", "thecat", "", "  the  "],
    "wordpiece.json": [
        "The cat sat on the mat.", "unaffable running", "Hello, world!", "中国cafe", "Café", "don't",
        "[CLS] the [MASK]", "xyz", "the\tcat\u200bsat", "",
    ],
}

PATTERNS = {
    "gpt2": r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
    "llama3": r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
    "qwen2": r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
}
PRETOK_TEXTS = [
    "Hello world", "  two leading", "trailing  ", "a  b   c", "x\n\ny", "x \n \n y", "tab\t\tsep", "\r\n\r\n",
    "I'M sure they'LL say it's ok 'S", "don't 'tis 've 'll", "1234567 89", "a1b22c333", "١٢٣ ٤ Ⅻ ½",
    "naïve café", "日本語のテキスト", "😀🎉 x", "a\u00a0b\u2009c\u3000d", "zero\u200bwidth", "-->  <--", "?!\n\n",
    " !!!\n", "x  ", " ", "", "a'b", "'", "''s", "Ünïcödé ΣΑΣ", "call(x, y)->z", "$100.00", "\u2028x\u0085y",
    "ſ'ſ 'ſ", "\u0301abc", "a\u0301bc",
]


def run_pretok(pt, texts):
    return [{"text": t, "pieces": [p for p, _ in pt.pre_tokenize_str(t)]} for t in texts]


ERRORS = []


def guarded(label, fn):
    """Runs fn, recording an exception instead of stopping the whole run."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001
        ERRORS.append(f"{label}: {type(e).__name__}: {e}")
        return None


out = {"tokenizers": tokenizers.__version__, "fixtures": {}, "patterns": {}, "pretokenizers": [],
       "normalizers": [], "decoders": []}

def fixture(name, texts):
    tok = Tokenizer.from_file(f"{tdir}/{name}")
    cases = []
    for t in texts:
        for add in (False, True):
            ids = tok.encode(t, add_special_tokens=add).ids
            cases.append({"text": t, "add_special": add, "ids": ids,
                          "decoded": tok.decode(ids, skip_special_tokens=False),
                          "decoded_skip": tok.decode(ids, skip_special_tokens=True)})
    out["fixtures"][name] = cases


for name, texts in TEXTS.items():
    guarded(name, lambda: fixture(name, texts))

for name, p in PATTERNS.items():
    out["patterns"][name] = run_pretok(pre_tokenizers.Split(Regex(p), "isolated"), PRETOK_TEXTS)

SPLIT_TEXTS = ["a b  c", " a", "a ", "  ", "ab", "", "x--y--", "--x"]
for beh in ["removed", "isolated", "merged_with_previous", "merged_with_next", "contiguous"]:
    for inv in (False, True):
        for pat, label in ((" ", "space"), ("-", "dash")):
            cfg = {"type": "Split", "pattern": {"String": pat}, "behavior": beh, "invert": inv}
            r = guarded(str(cfg), lambda: run_pretok(pre_tokenizers.Split(pattern=pat, behavior=beh, invert=inv), SPLIT_TEXTS))
            if r is not None:
                out["pretokenizers"].append({"config": cfg, "cases": r})
        cfg = {"type": "Split", "pattern": {"Regex": r"\s+|\d+"}, "behavior": beh, "invert": inv}
        r = guarded(str(cfg), lambda: run_pretok(pre_tokenizers.Split(pattern=Regex(r"\s+|\d+"), behavior=beh, invert=inv), PRETOK_TEXTS))
        if r is not None:
            out["pretokenizers"].append({"config": cfg, "cases": r})

OTHER_PRETOK = [
    ({"type": "Whitespace"}, lambda: pre_tokenizers.Whitespace()),
    ({"type": "WhitespaceSplit"}, lambda: pre_tokenizers.WhitespaceSplit()),
    ({"type": "BertPreTokenizer"}, lambda: pre_tokenizers.BertPreTokenizer()),
    ({"type": "Digits", "individual_digits": True}, lambda: pre_tokenizers.Digits(individual_digits=True)),
    ({"type": "Digits", "individual_digits": False}, lambda: pre_tokenizers.Digits(individual_digits=False)),
    ({"type": "Punctuation", "behavior": "isolated"}, lambda: pre_tokenizers.Punctuation(behavior="isolated")),
    ({"type": "Punctuation", "behavior": "contiguous"}, lambda: pre_tokenizers.Punctuation(behavior="contiguous")),
    ({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
     lambda: pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)),
    ({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": False},
     lambda: pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=False)),
    ({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": True},
     lambda: pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True)),
    ({"type": "CharDelimiterSplit", "delimiter": "-"}, lambda: pre_tokenizers.CharDelimiterSplit("-")),
    ({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Digits", "individual_digits": True}]},
     lambda: pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Digits(individual_digits=True)])),
]
for cfg, pt in OTHER_PRETOK:
    r = guarded(str(cfg), lambda: run_pretok(pt(), PRETOK_TEXTS))
    if r is not None:
        out["pretokenizers"].append({"config": cfg, "cases": r})

NORM_TEXTS = ["Héllo Wörld", "ｆｕｌｌ　ｗｉｄｔｈ ①②", "İSTANBUL ΣΑΣ ẞ", "  padded \t", "a\u0000b\u200bc\tx\u00a0y",
              "中文abc", "e\u0301 \u212b ﬁ", "Ǆ ǅ", ""]
NORMS = [
    ({"type": "NFC"}, lambda: normalizers.NFC()), ({"type": "NFD"}, lambda: normalizers.NFD()),
    ({"type": "NFKC"}, lambda: normalizers.NFKC()), ({"type": "NFKD"}, lambda: normalizers.NFKD()),
    ({"type": "Lowercase"}, lambda: normalizers.Lowercase()),
    ({"type": "Strip", "strip_left": True, "strip_right": True}, lambda: normalizers.Strip(left=True, right=True)),
    ({"type": "Strip", "strip_left": False, "strip_right": True}, lambda: normalizers.Strip(left=False, right=True)),
    ({"type": "StripAccents"}, lambda: normalizers.StripAccents()),
    ({"type": "Prepend", "prepend": "▁"}, lambda: normalizers.Prepend(prepend="▁")),
    ({"type": "Replace", "pattern": {"String": " "}, "content": "▁"}, lambda: normalizers.Replace(" ", "▁")),
    ({"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "}, lambda: normalizers.Replace(Regex(r"\s+"), " ")),
    ({"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
     lambda: normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)),
    ({"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": False, "strip_accents": False, "lowercase": False},
     lambda: normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)),
    ({"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}, {"type": "Lowercase"}]},
     lambda: normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents(), normalizers.Lowercase()])),
]
for cfg, n in NORMS:
    r = guarded(str(cfg), lambda: [{"text": t, "normalized": n().normalize_str(t)} for t in NORM_TEXTS])
    if r is not None:
        out["normalizers"].append({"config": cfg, "cases": r})

DEC_TOKENS = [
    ["▁Hello", "▁world", "!"], ["Hello", "▁", "▁world"], ["<0xE6>", "<0x97>", "<0xA5>", "▁ok"],
    ["<0xE6>", "<0x97>", "x"], ["<0x41>", "<0xZZ>", "<0x0A>"], ["un", "##aff", "##able", ",", "do", "n't", "."],
    ["ĠHello", "Ġworld", "Ċ", "Ã©"], ["Ġ", "æ", "Ĺ"], ["<s>", "Ġx"], ["  a  ", " b"], [],
]
DECS = [
    ({"type": "ByteLevel"}, lambda: decoders.ByteLevel()),
    ({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}, lambda: decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)),
    ({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": True}, lambda: decoders.Metaspace(replacement="▁", prepend_scheme="never", split=True)),
    ({"type": "ByteFallback"}, lambda: decoders.ByteFallback()),
    ({"type": "Fuse"}, lambda: decoders.Fuse()),
    ({"type": "Strip", "content": " ", "start": 1, "stop": 1}, lambda: decoders.Strip(content=" ", left=1, right=1)),
    ({"type": "WordPiece", "prefix": "##", "cleanup": True}, lambda: decoders.WordPiece(prefix="##", cleanup=True)),
    ({"type": "WordPiece", "prefix": "##", "cleanup": False}, lambda: decoders.WordPiece(prefix="##", cleanup=False)),
    ({"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, lambda: decoders.Replace("▁", " ")),
    ({"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
                                       {"type": "ByteFallback"}, {"type": "Fuse"},
                                       {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
     lambda: decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(content=" ", left=1, right=0)])),
]
for cfg, d in DECS:
    r = guarded(str(cfg), lambda: [{"tokens": t, "decoded": d().decode(t)} for t in DEC_TOKENS])
    if r is not None:
        out["decoders"].append({"config": cfg, "cases": r})

out["errors"] = ERRORS

with open(out_path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
print("hf_check: wrote", out_path)
