# Generates torch_golden.json: PyTorch 2.11 / transformers 5.17 reference values for
# the tensor package tests (run once on the device machine; OUT names the output folder).
# The M-RoPE and vision-rotary parts fail on transformers 5.x (the functions moved)
# and are left out; those tests use values derived from the transformers source.
import json, os, inspect, traceback
import numpy as np, torch
import torch.nn.functional as F
out = os.environ["OUT"]
res = {}
src = []
def inp(n):
    return np.sin(np.arange(n) * 0.37).astype(np.float32)
# interpolate: x [1, C, H, W] with C=2, H=5, W=7
x = torch.from_numpy(inp(2*5*7).reshape(1, 2, 5, 7))
for mode in ["bicubic", "bilinear"]:
    for ac in [False, True]:
        for (oh, ow) in [(9, 4), (3, 11)]:
            y = F.interpolate(x, size=(oh, ow), mode=mode, align_corners=ac)
            res[f"interp_{mode}_{int(ac)}_{oh}x{ow}"] = y.flatten().tolist()
# activations
v = torch.from_numpy(np.linspace(-4, 4, 17).astype(np.float32))
res["act_in"] = v.tolist()
res["gelu"] = F.gelu(v).tolist()
res["gelu_tanh"] = F.gelu(v, approximate="tanh").tolist()
res["silu"] = F.silu(v).tolist()
try:
    from transformers.models.idefics3 import modeling_idefics3 as m3
    src.append(inspect.getsource(m3.Idefics3Connector.pixel_shuffle))
    xs = torch.from_numpy(inp(36*3).reshape(1, 36, 3))
    class Dummy: pass
    y = m3.Idefics3Connector.pixel_shuffle(Dummy(), xs, 3)
    res["pixel_shuffle_s3"] = y.flatten().tolist()
    y = m3.Idefics3Connector.pixel_shuffle(Dummy(), xs, 2)
    res["pixel_shuffle_s2"] = y.flatten().tolist()
except Exception:
    src.append(traceback.format_exc())
try:
    from transformers.models.qwen2_vl import modeling_qwen2_vl as q2
    src.append(inspect.getsource(q2.apply_multimodal_rotary_pos_emb))
    dim = 16; seq = 5; heads = 2
    inv = 1.0 / (10000 ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    res["inv_freq16"] = inv.tolist()
    pos = torch.tensor([[0, 1, 2, 3, 4], [0, 1, 1, 2, 5], [0, 2, 1, 3, 7]])
    freqs = pos[:, None, :, None].float() * inv[None, None, None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    q = torch.from_numpy(inp(seq*heads*dim).reshape(1, seq, heads, dim)).transpose(1, 2)
    qo, ko = q2.apply_multimodal_rotary_pos_emb(q, q.clone(), cos, sin, [2, 3, 3])
    res["mrope_q"] = qo.transpose(1, 2).flatten().tolist()
except Exception:
    src.append(traceback.format_exc())
try:
    from transformers.models.qwen2_vl import modeling_qwen2_vl as q2
    from transformers import Qwen2VLConfig
    src.append(inspect.getsource(q2.Qwen2VisionTransformerPretrainedModel.rot_pos_emb))
    src.append(inspect.getsource(q2.VisionRotaryEmbedding))
    cfg = Qwen2VLConfig().vision_config
    cfg.depth = 1; cfg.embed_dim = 32; cfg.num_heads = 2; cfg.hidden_size = 32; cfg.mlp_ratio = 1
    m = q2.Qwen2VisionTransformerPretrainedModel._from_config(cfg)
    r = m.rot_pos_emb(torch.tensor([[2, 4, 6]]))
    res["vision_rot_freqs_2x4x6_hd16"] = r.flatten().tolist()
    res["vision_rot_shape"] = list(r.shape)
except Exception:
    src.append(traceback.format_exc())
json.dump(res, open(os.path.join(out, "golden.json"), "w"))
open(os.path.join(out, "sources.txt"), "w").write("\n\n".join(src))
print("ok", list(res.keys()))
