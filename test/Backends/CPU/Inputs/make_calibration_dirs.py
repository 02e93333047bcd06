# SPDX-License-Identifier: Apache-2.0
"""Writes calibration directories for quantize-errors.test under argv[1]:
one good one and one per defect the loader must name."""
import os
import sys

import numpy as np

root = sys.argv[1]


def write(directory, files):
    os.makedirs(directory, exist_ok=True)
    for name, array in files.items():
        np.save(os.path.join(directory, name), array)


rng = np.random.default_rng(0)
good = lambda: rng.uniform(-1, 1, (2, 8)).astype(np.float32)  # noqa: E731
for i in range(4):
    write(f"{root}/good/s{i}", {"x.npy": good()})
write(f"{root}/wrong-name/s0", {"input.npy": good()})
write(f"{root}/wrong-shape/s0", {"x.npy": np.zeros((2, 7), np.float32)})
write(f"{root}/wrong-dtype/s0", {"x.npy": np.zeros((2, 8), np.float64)})
nan = good()
nan[1, 3] = np.nan
write(f"{root}/nan/s0", {"x.npy": nan})
write(f"{root}/missing-input/s0", {})
with open(f"{root}/missing-input/s0/notes.txt", "w") as f:
    f.write("not a tensor\n")
os.makedirs(f"{root}/empty", exist_ok=True)
