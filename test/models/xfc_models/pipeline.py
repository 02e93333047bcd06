# SPDX-License-Identifier: Apache-2.0
"""Build a model, write model.onnx (+ model.onnx.data), seeded inputs,
ONNX Runtime reference outputs and config.json."""

from __future__ import annotations

import collections
import json
import os
import time

import numpy as np
import onnx

from . import bert, gpt2, llama, vit
from .builder import GraphBuilder
from .config import Config, resolve
from .layers import Weights

FAMILIES = {"bert": bert, "gpt2": gpt2, "vit": vit, "llama": llama}
EXTERNAL_PRESETS = {"llama-1b"}  # always written with external data
SPILL_BYTES = int(1.8e9)         # larger models switch to external data


def make_config(family: str, variant: str | None = None, preset: str = "tiny",
                **overrides) -> Config:
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; choose from {sorted(FAMILIES)}")
    return resolve(FAMILIES[family], family, variant, preset, overrides)


def build_model(cfg: Config, data_path: str | None = None,
                force_external: bool = False, keep_weights: bool = False,
                value_info: bool = False):
    """Returns (ModelProto, GraphBuilder); keep_weights leaves the weights,
    by state_dict name, in GraphBuilder.weights."""
    fam = FAMILIES[cfg.family]
    b = GraphBuilder(cfg.opset, fold_shapes=cfg.fold_shapes, data_path=data_path,
                     force_external=force_external, spill_bytes=SPILL_BYTES,
                     keep_weights=keep_weights)
    if getattr(cfg, "weights", None):
        from .pretrained import PretrainedWeights
        w = PretrainedWeights(cfg._weights_path, b)
        fam.build(b, w, cfg)
        w.check_all_used(cfg.pooler)
    else:
        fam.build(b, Weights(cfg.seed), cfg)
    return b.finish(value_info=value_info), b


def make_inputs(cfg: Config) -> dict:
    rng = np.random.default_rng([cfg.seed, 1])  # independent of the weights
    return FAMILIES[cfg.family].make_inputs(cfg, rng)


def op_histogram(model: onnx.ModelProto) -> dict:
    return dict(collections.Counter(n.op_type for n in model.graph.node).most_common())


def run_ort(model_path: str, feeds: dict, *, optimize: bool = True) -> dict:
    import onnxruntime as ort
    so = ort.SessionOptions()
    if not optimize:
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.log_severity_level = 3
    sess = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(names, feeds)))


def generate(cfg: Config, out_dir: str, *, reference: bool = True,
             value_info: bool = True, external: bool = False,
             quiet: bool = True) -> dict:
    """Writes everything under out_dir; returns the config.json dict."""
    import onnxruntime as ort

    os.makedirs(os.path.join(out_dir, "inputs"), exist_ok=True)
    model_path = os.path.join(out_dir, "model.onnx")
    data_path = model_path + ".data"
    for stale in (model_path, data_path):
        if os.path.exists(stale):
            os.remove(stale)

    t0 = time.perf_counter()
    force_ext = external or cfg.preset in EXTERNAL_PRESETS
    model, b = build_model(cfg, data_path, force_external=force_ext,
                           value_info=value_info)
    onnx.save_model(model, model_path)
    gen_s = time.perf_counter() - t0

    feeds = make_inputs(cfg)
    for name, arr in feeds.items():
        np.save(os.path.join(out_dir, "inputs", f"{name}.npy"), arr)

    info = {
        "family": cfg.family, "variant": cfg.variant, "preset": cfg.preset,
        "opset": cfg.opset,
        "variant_doc": FAMILIES[cfg.family].VARIANTS[cfg.variant]["doc"],
        "config": cfg.to_dict(),
        "inputs": {k: {"shape": list(v.shape), "dtype": str(v.dtype)}
                   for k, v in feeds.items()},
        "outputs": {o.name: {"shape": [d.dim_param or d.dim_value
                                       for d in o.type.tensor_type.shape.dim],
                             "dtype": "float32"} for o in model.graph.output},
        "symbolic_dims": bool(cfg.symbolic),
        "external_data": b.external,
        "files": {"model": "model.onnx",
                  "data": "model.onnx.data" if b.external else None},
        "param_count": b.param_count, "param_bytes": b.param_bytes,
        "model_bytes": os.path.getsize(model_path)
                       + (os.path.getsize(data_path) if b.external else 0),
        "node_count": len(model.graph.node), "op_histogram": op_histogram(model),
        "weights": (str(cfg._weights_path) if getattr(cfg, "weights", None)
                    else f"random (seed {cfg.seed})"),
        "generate_seconds": round(gen_s, 3),
        "versions": {"onnx": onnx.__version__, "onnxruntime": ort.__version__,
                     "numpy": np.__version__, "ir_version": model.ir_version},
        "reference_available": False, "reference_error": None,
        "reference": {"provider": "CPUExecutionProvider",
                      "graph_optimization_level": "ORT_ENABLE_ALL (default)"},
    }
    del model
    if reference:
        ref_dir = os.path.join(out_dir, "reference")
        os.makedirs(ref_dir, exist_ok=True)
        t1 = time.perf_counter()
        try:
            outs = run_ort(model_path, feeds)
        except Exception as e:  # noqa: BLE001 - recorded, not fatal
            info["reference_error"] = f"{type(e).__name__}: {e}"[:2000]
        else:
            for name, arr in outs.items():
                np.save(os.path.join(ref_dir, f"{name}.npy"), arr)
                info["outputs"][name] = {"shape": list(arr.shape), "dtype": str(arr.dtype)}
            info["reference_available"] = True
        info["reference_seconds"] = round(time.perf_counter() - t1, 3)
    else:
        info["reference_error"] = "not requested (--no-reference)"
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(info, f, indent=2, default=_json_default)
        f.write("\n")
    return info


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    raise TypeError(type(o))
