"""Text-decoder fixtures: qwen2, llama (SmolLM2-like), llama with llama3 rope scaling, gemma, gemma3_text."""

import transformers
from transformers import GenerationConfig

import templates
import toks
from common import build_config, init_weights, make_fixture, rope_kwargs, save_model, uses_rope_parameters

DIMS = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, head_dim=16, max_position_embeddings=512)

CHAT = [
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "The capital of France is Paris."},
    {"role": "user", "content": "And of Italy? Answer in one word, caf\u00e9 \u2615."},
]
CHAT_SYS = [{"role": "system", "content": "You are a helpful assistant."}] + CHAT
RAW = "The quick brown fox jumps over the lazy dog. Once upon a time there was"


def _cases(chat):
    return [
        {"name": "raw", "raw_text": RAW, "notes": "raw text, tokenizer(text) with its default special tokens"},
        {"name": "chat", "messages": chat, "notes": "chat template rendered with add_generation_prompt=True"},
    ]


def _pad64(n):
    return (n + 63) // 64 * 64


# Gemma 3 scales embeddings by sqrt(hidden) and normalizes every block output (sandwich norms): with
# embeddings as large as the other weights the tied lm_head just repeats the last input token.
GEMMA3_EMBED_STD = 0.02


def _text_build(model_cls, cfg_cls, tok_fn, cfg_variants_fn, eos_names, pad_vocab=False, embed_std=0.2):
    def build(seed, out_dir):
        tok = tok_fn()
        vocab = _pad64(len(tok)) if pad_vocab else len(tok)
        ids = {t: tok.convert_tokens_to_ids(t) for t in eos_names}
        cfg = build_config(cfg_cls, cfg_variants_fn(vocab, tok))
        model = model_cls(cfg)
        init_weights(model, seed, embed_std=embed_std)
        model.generation_config = GenerationConfig(
            bos_token_id=tok.bos_token_id, eos_token_id=list(ids.values()), pad_token_id=tok.pad_token_id)
        save_model(model, out_dir)
        tok.save_pretrained(out_dir)
        return {"model_cls": model_cls, "processor": tok, "kind": "text", "eos_ids": set(ids.values())}
    return build


def qwen2(out_root):
    def variants(vocab, tok):
        base = dict(vocab_size=vocab, tie_word_embeddings=False, rms_norm_eps=1e-6, use_sliding_window=False,
                    bos_token_id=tok.convert_tokens_to_ids("<|endoftext|>"), eos_token_id=tok.eos_token_id, **DIMS)
        return [dict(base, **rope_kwargs(1000000.0))]
    build = _text_build(transformers.Qwen2ForCausalLM, transformers.Qwen2Config,
                        lambda: toks.qwen_tokenizer(templates.QWEN25_TEXT, vl=False), variants,
                        ["<|im_end|>", "<|endoftext|>"], pad_vocab=True)
    return make_fixture("qwen2", out_root, build, _cases(CHAT),
                        {"model_type": "qwen2", "chat_template": "Qwen/Qwen2.5-0.5B-Instruct",
                         "notes": "vocab padded to a multiple of 64 beyond the tokenizer, as real Qwen checkpoints; untied lm_head; q/k/v biases"})


def llama(out_root):
    def variants(vocab, tok):
        base = dict(vocab_size=vocab, tie_word_embeddings=True, rms_norm_eps=1e-5,
                    bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, **DIMS)
        return [dict(base, **rope_kwargs(100000.0))]
    build = _text_build(transformers.LlamaForCausalLM, transformers.LlamaConfig,
                        lambda: toks.smollm_tokenizer(templates.SMOLLM2_TEXT), variants, ["<|im_end|>"])
    return make_fixture("llama", out_root, build, _cases(CHAT),
                        {"model_type": "llama", "chat_template": "HuggingFaceTB/SmolLM2-135M-Instruct",
                         "notes": "SmolLM2-like: tied embeddings, no bos added by the tokenizer"})


def llama_rope_scaled(out_root):
    scaling = dict(factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0, original_max_position_embeddings=32)

    def variants(vocab, tok):
        base = dict(vocab_size=vocab, tie_word_embeddings=False, rms_norm_eps=1e-5,
                    bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, **DIMS)
        return [dict(base, **rope_kwargs(10000.0, "llama3", **scaling))]
    build = _text_build(transformers.LlamaForCausalLM, transformers.LlamaConfig,
                        lambda: toks.smollm_tokenizer(templates.SMOLLM2_TEXT), variants, ["<|im_end|>"])
    return make_fixture("llama_rope_llama3", out_root, build, _cases(CHAT),
                        {"model_type": "llama", "chat_template": "HuggingFaceTB/SmolLM2-135M-Instruct",
                         "notes": "llama3 rope scaling (factor 8, low 1, high 4, original_max_position_embeddings 32): "
                                  "with head_dim 16 and theta 1e4 the low and middle frequency bands are rescaled; untied lm_head"})


def gemma(out_root):
    def variants(vocab, tok):
        base = dict(vocab_size=vocab, rms_norm_eps=1e-6, hidden_activation="gelu_pytorch_tanh",
                    bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                    **DIMS)
        return [dict(base, **rope_kwargs(10000.0))]
    build = _text_build(transformers.GemmaForCausalLM, transformers.GemmaConfig,
                        lambda: toks.gemma_tokenizer(templates.GEMMA_TEXT, "gemma"), variants,
                        ["<eos>", "<end_of_turn>"])
    return make_fixture("gemma", out_root, build, _cases(CHAT),
                        {"model_type": "gemma", "chat_template": "google/gemma-2b-it",
                         "notes": "embeddings scaled by sqrt(hidden); RMSNorm weights stored as offsets from 1 (x*(1+w))"})


def gemma3_text_config_variants(vocab, tok, softcap):
    base = dict(vocab_size=vocab, rms_norm_eps=1e-6, hidden_activation="gelu_pytorch_tanh",
                sliding_window=8, layer_types=["sliding_attention", "full_attention"], query_pre_attn_scalar=24,
                final_logit_softcapping=softcap, attn_logit_softcapping=None,
                bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, **DIMS)
    v = []
    if uses_rope_parameters():
        v.append(dict(base, rope_parameters={
            "full_attention": {"rope_type": "linear", "factor": 8.0, "rope_theta": 1000000.0},
            "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}}))
    v.append(dict(base, rope_theta=1000000.0, rope_local_base_freq=10000.0,
                  rope_scaling={"rope_type": "linear", "factor": 8.0}))
    return v


def gemma3_text(out_root):
    build = _text_build(transformers.Gemma3ForCausalLM, transformers.Gemma3TextConfig,
                        lambda: toks.gemma_tokenizer(templates.GEMMA3, "gemma3"),
                        lambda vocab, tok: gemma3_text_config_variants(vocab, tok, 15.0),
                        ["<eos>", "<end_of_turn>"], embed_std=GEMMA3_EMBED_STD)
    return make_fixture("gemma3_text", out_root, build, _cases(CHAT),
                        {"model_type": "gemma3_text", "chat_template": "google/gemma-3-4b-it",
                         "notes": "layer 0 sliding (window 8, rope theta 1e4), layer 1 full (theta 1e6, linear x8); "
                                  "query_pre_attn_scalar 24 != head_dim 16; q/k norms; final_logit_softcapping 15; "
                                  "prompts are longer than the window"})


ALL = [("qwen2", qwen2), ("llama", llama), ("gemma", gemma), ("gemma3_text", gemma3_text),
       ("llama_rope_llama3", llama_rope_scaled)]
