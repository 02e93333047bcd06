//===- xfc.cpp - The xfc compiler driver ----------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Driver/Driver.h"

int main(int argc, char **argv) { return xfc::runDriverMain(argc, argv); }
