# SPDX-License-Identifier: Apache-2.0
"""Seeded generators of BERT / GPT-2 / ViT / LLaMA ONNX models in the op
patterns torch.onnx.export (TorchScript) produces for the Hugging Face
implementations.  See ../README.md."""

from .pipeline import (FAMILIES, build_model, generate, make_config,
                       make_inputs, op_histogram, run_ort)

__all__ = ["FAMILIES", "build_model", "generate", "make_config", "make_inputs",
           "op_histogram", "run_ort"]
