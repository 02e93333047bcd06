# SPDX-License-Identifier: Apache-2.0
"""BERT's uncased WordPiece tokenizer in plain Python: what tokenizer.json's
BertNormalizer (clean text, space around CJK characters, strip accents,
lowercase) + BertPreTokenizer (split on whitespace and punctuation) +
WordPiece (greedy longest match first, "##" continuations, [UNK] for a word
with no match or over 100 characters) + TemplateProcessing ([CLS] A [SEP])
do for single sentences. Unlike tokenizer.json, special-token strings
such as "[SEP]" inside the text are not recognized as special tokens."""

from __future__ import annotations

import unicodedata

import numpy as np


def _is_control(c: str) -> bool:
    return c not in "\t\n\r" and unicodedata.category(c).startswith("C")


def _is_whitespace(c: str) -> bool:
    return c.isspace()  # Unicode White_Space, as Rust's char::is_whitespace


def _is_punctuation(c: str) -> bool:
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True  # every non-alphanumeric ASCII symbol, e.g. $ ^ `
    return unicodedata.category(c).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F
            or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF
            or 0x2F800 <= cp <= 0x2FA1F)


def normalize(text: str) -> str:
    """BertNormalizer(clean_text, handle_chinese_chars, strip_accents=lowercase,
    lowercase), in its order."""
    out = []
    for c in text:
        cp = ord(c)
        if cp == 0 or cp == 0xFFFD or _is_control(c):
            continue
        if _is_whitespace(c):
            out.append(" ")
        elif _is_cjk(cp):
            out.append(f" {c} ")
        else:
            out.append(c)
    text = unicodedata.normalize("NFD", "".join(out))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text.lower()


def pre_tokenize(text: str) -> list[str]:
    """BertPreTokenizer: whitespace-separated words, every punctuation
    character its own word."""
    words, cur = [], []
    for c in text:
        if _is_whitespace(c) or _is_punctuation(c):
            if cur:
                words.append("".join(cur))
                cur = []
            if not _is_whitespace(c):
                words.append(c)
        else:
            cur.append(c)
    if cur:
        words.append("".join(cur))
    return words


class WordPieceTokenizer:
    def __init__(self, vocab_path, unk="[UNK]", max_chars: int = 100):
        with open(vocab_path, encoding="utf-8") as f:
            self.vocab = {line.rstrip("\n"): i for i, line in enumerate(f)}
        self.unk, self.max_chars = unk, max_chars
        self.cls_id, self.sep_id = self.vocab["[CLS]"], self.vocab["[SEP]"]
        self.pad_id = self.vocab["[PAD]"]

    def wordpiece(self, word: str) -> list[str]:
        if len(word) > self.max_chars:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    break
                end -= 1
            if end == start:
                return [self.unk]
            pieces.append(piece)
            start = end
        return pieces

    def tokenize(self, text: str) -> list[str]:
        return [p for w in pre_tokenize(normalize(text)) for p in self.wordpiece(w)]

    def encode(self, text: str, seq_len: int) -> tuple[np.ndarray, np.ndarray, bool]:
        """(input_ids, attention_mask) as int64 [seq_len]: [CLS] tokens [SEP]
        then [PAD] (mask 0); tokens past seq_len - 2 are cut. Also whether
        the text was truncated."""
        ids = [self.vocab.get(t, self.vocab[self.unk]) for t in self.tokenize(text)]
        truncated = len(ids) > seq_len - 2
        ids = [self.cls_id] + ids[:seq_len - 2] + [self.sep_id]
        n = len(ids)
        input_ids = np.full(seq_len, self.pad_id, np.int64)
        input_ids[:n] = ids
        mask = np.zeros(seq_len, np.int64)
        mask[:n] = 1
        return input_ids, mask, truncated
