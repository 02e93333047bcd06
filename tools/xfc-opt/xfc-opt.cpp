//===- xfc-opt.cpp - xfc's pass-pipeline scripting tool -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#include "xfc/Backends/CPU/Codegen.h"
#include "xfc/InitAllDialects.h"
#include "xfc/InitAllPasses.h"
#include "xfc/Pipelines/Pipelines.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  xfc::registerAllDialects(registry);
  xfc::registerAllPasses();
  xfc::registerPipelines();
  xfc::cpu::registerCPUPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "xfc optimizer driver\n", registry));
}
