//===- Driver.h - The xfc compiler driver -----------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_DRIVER_DRIVER_H
#define XFC_DRIVER_DRIVER_H

namespace xfc {

/// The whole of `xfc`: parses the command line, imports the model, runs the
/// phases up to --compile-to, and writes the output atomically (a temporary
/// file renamed into place, removed on any failure). Returns the exit code.
int runDriverMain(int argc, char **argv);

} // namespace xfc

#endif // XFC_DRIVER_DRIVER_H
