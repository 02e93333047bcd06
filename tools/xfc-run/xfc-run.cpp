//===- xfc-run.cpp - Run, check and time xfc artifacts --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Runner/Runner.h"

int main(int argc, char **argv) {
  return xfc::runner::runRunnerMain(argc, argv);
}
