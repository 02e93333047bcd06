# SPDX-License-Identifier: Apache-2.0
"""Input sets for BERT models from real English text (../sentences.txt),
tokenized with the WordPiece tokenizer, in the layout of xfc's calibration
directories: DIR/sample_000/<input name>.npy, one subdirectory per sample, plus
DIR/manifest.json recording the texts."""

from __future__ import annotations

import json
import os
import re
import shutil

import numpy as np

from .tokenizer import WordPieceTokenizer

SENTENCES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         "sentences.txt")
KNOWN_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def read_sentences(path: str = SENTENCES) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return [s.strip() for s in f if s.strip() and not s.startswith("#")]


def texts(sentences: list[str], count: int, max_join: int,
          seed: int) -> tuple[list[str], bool]:
    """`count` texts of 1..max_join consecutive sentences of a seeded shuffle
    (reshuffled whenever the sentences run out), and whether they ran out
    (then texts share sentences)."""
    rng = np.random.default_rng(seed)
    order, pos, out, reused = list(rng.permutation(len(sentences))), 0, [], False
    for _ in range(count):
        parts = []
        for _ in range(int(rng.integers(1, max_join + 1))):
            if pos == len(order):
                order, pos, reused = list(rng.permutation(len(sentences))), 0, True
            parts.append(sentences[order[pos]])
            pos += 1
        out.append(" ".join(parts))
    return out, reused


def write_input_sets(out_dir: str, vocab_path: str, *, samples: int, seq_len: int = 128,
                     batch: int = 1, input_names=("input_ids", "attention_mask"),
                     seed: int = 0, max_join: int = 1,
                     sentences_path: str = SENTENCES) -> dict:
    """Writes `samples` sets of int64 [batch, seq_len] arrays named after
    `input_names`; token_type_ids are zeros (one segment). Returns the
    manifest (also written to out_dir/manifest.json)."""
    unknown = [n for n in input_names if n not in KNOWN_INPUTS]
    if unknown:
        raise ValueError(f"cannot make inputs named {unknown} (only {KNOWN_INPUTS})")
    if seq_len < 2 or batch < 1 or samples < 1:
        raise ValueError("need seq_len >= 2, batch >= 1, samples >= 1")
    tok = WordPieceTokenizer(vocab_path)
    sents = read_sentences(sentences_path)
    rows, reused = texts(sents, samples * batch, max_join, seed)
    os.makedirs(out_dir, exist_ok=True)
    for d in os.listdir(out_dir):  # stale sets would be read as samples
        if re.fullmatch(r"sample_\d+", d):
            shutil.rmtree(os.path.join(out_dir, d))
    width = max(3, len(str(samples - 1)))
    manifest = {"sentences": str(sentences_path), "vocab": str(vocab_path),
                "seed": seed, "seq_len": seq_len, "batch": batch,
                "max_join": max_join, "inputs": list(input_names),
                "sentences_reused": reused,
                "samples": []}
    for i in range(samples):
        name = f"sample_{i:0{width}d}"
        d = os.path.join(out_dir, name)
        os.makedirs(d)
        enc = [tok.encode(t, seq_len) for t in rows[i * batch:(i + 1) * batch]]
        arrays = {"input_ids": np.stack([e[0] for e in enc]),
                  "attention_mask": np.stack([e[1] for e in enc]),
                  "token_type_ids": np.zeros((batch, seq_len), np.int64)}
        for n in input_names:
            np.save(os.path.join(d, f"{n}.npy"), arrays[n])
        manifest["samples"].append({
            "name": name, "texts": rows[i * batch:(i + 1) * batch],
            "tokens": [int(e[1].sum()) for e in enc],
            "truncated": [bool(e[2]) for e in enc]})
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return manifest


def read_input_sets(in_dir: str) -> list[tuple[str, dict]]:
    """[(sample name, {input name: array})] in sorted order; `in_dir` itself
    is the only sample when it has no subdirectories (xfc's rule)."""
    subs = sorted(d for d in os.listdir(in_dir) if os.path.isdir(os.path.join(in_dir, d)))
    dirs = [os.path.join(in_dir, d) for d in subs] or [in_dir]
    sets = []
    for d in dirs:
        feeds = {f[:-4]: np.load(os.path.join(d, f))
                 for f in sorted(os.listdir(d)) if f.endswith(".npy")}
        if feeds:
            sets.append((os.path.basename(d), feeds))
    return sets
