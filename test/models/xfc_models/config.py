# SPDX-License-Identifier: Apache-2.0
"""Presets and option resolution (preset < variant < explicit overrides)."""

from __future__ import annotations

import types

# Sizes per preset; a family entry overrides the generic one.
PRESETS = {
    "tiny": dict(layers=2, hidden=64, heads=4, kv_heads=2, ffn=256, seq=16,
                 vocab=128, batch=2, image=32, patch=8, num_labels=10, max_pos=64),
    "small": dict(layers=4, hidden=256, heads=4, kv_heads=2, ffn=1024, seq=64,
                  vocab=1024, batch=2, image=64, patch=8, num_labels=10, max_pos=256),
    "base": dict(layers=12, hidden=768, heads=12, kv_heads=12, ffn=3072, seq=128,
                 batch=1, num_labels=1000),
}
FAMILY_PRESETS = {
    "bert": {"base": dict(vocab=30522, max_pos=512),
             # sentence-transformers/all-MiniLM-L6-v2
             "minilm": dict(layers=6, hidden=384, heads=12, ffn=1536, seq=128,
                            vocab=30522, batch=1, max_pos=512)},
    "gpt2": {"base": dict(vocab=50257, max_pos=1024)},  # GPT-2 small
    "vit": {"base": dict(image=224, patch=16)},  # ViT-B/16
    "llama": {
        # LLaMA-style ~150M: GQA 12 q heads over 4 kv heads, SwiGLU 2048.
        "base": dict(kv_heads=4, ffn=2048, vocab=32000, max_pos=2048),
        # ~1.1B parameters, ~4.4 GB fp32: always written as external data.
        "llama-1b": dict(layers=16, hidden=2048, heads=32, kv_heads=8, ffn=8192,
                         seq=128, vocab=32000, batch=1, max_pos=2048),
    },
}

# Options every family understands (family modules add their own).
COMMON = dict(
    seed=0, symbolic=False, fold_shapes=False, noop_casts=True,
    key_transpose="fused", scale_mode="div", mask_value="finfo",
    attention_mask=True, channels=3,
)


def preset_names(family: str):
    return ["tiny", "small", "base"] + [p for p in FAMILY_PRESETS.get(family, {})
                                        if p not in ("base",)]


def preset_dims(family: str, preset: str) -> dict:
    fam = FAMILY_PRESETS.get(family, {})
    if preset not in PRESETS and preset not in fam:
        raise ValueError(f"unknown preset {preset!r} for {family}; "
                         f"choose from {preset_names(family)}")
    dims = dict(PRESETS["base"] if preset not in PRESETS else PRESETS[preset])
    dims.update(fam.get(preset, {}))
    return dims


class Config(types.SimpleNamespace):
    def to_dict(self) -> dict:
        return {k: v for k, v in sorted(vars(self).items()) if not k.startswith("_")}


def resolve(family_mod, family: str, variant: str | None, preset: str,
            overrides: dict) -> Config:
    variant = variant or family_mod.DEFAULT_VARIANT
    if variant not in family_mod.VARIANTS:
        raise ValueError(f"unknown variant {variant!r} for {family}; choose from "
                         f"{sorted(family_mod.VARIANTS)}")
    opts = dict(COMMON)
    opts.update(family_mod.DEFAULTS)
    opts.update(preset_dims(family, preset))
    opts.update(family_mod.VARIANTS[variant]["options"])
    given = {k: v for k, v in overrides.items() if v is not None}
    for k in given:
        if k in family_mod.UNUSED or k not in opts:
            raise ValueError(f"option {k!r} does not apply to {family}")
    opts.update(given)
    cfg = Config(family=family, variant=variant, preset=preset, **opts)
    _check_common(cfg)
    family_mod.finalize(cfg)
    for k in family_mod.UNUSED:
        if hasattr(cfg, k):
            delattr(cfg, k)
    return cfg


def _check_common(cfg: Config) -> None:
    if cfg.hidden % cfg.heads:
        raise ValueError(f"hidden {cfg.hidden} not divisible by heads {cfg.heads}")
    if cfg.fold_shapes and cfg.symbolic:
        raise ValueError("--fold-shapes needs static shapes (drop --symbolic)")
    if not 14 <= cfg.opset <= 23:
        raise ValueError(f"opset {cfg.opset} outside the supported 14..23")
    if cfg.batch < 1 or cfg.seq < 1:
        raise ValueError("batch and seq must be positive")
