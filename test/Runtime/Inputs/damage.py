#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Damages a file the way the runtime tests need.

  damage.py truncate FILE SIZE     cut FILE to SIZE bytes
  damage.py flip FILE OFFSET       flip the low bit of the byte at OFFSET
  damage.py append FILE TEXT       append TEXT's bytes
"""
import os
import sys

command, path, argument = sys.argv[1:4]
if command == "truncate":
    os.truncate(path, int(argument))
elif command == "flip":
    with open(path, "r+b") as f:
        f.seek(int(argument))
        byte = f.read(1)[0]
        f.seek(int(argument))
        f.write(bytes([byte ^ 1]))
elif command == "append":
    with open(path, "ab") as f:
        f.write(argument.encode())
else:
    sys.exit("unknown command " + command)
