//===- CpuFeatures.h - Does this CPU run the artifact's code? --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_CPUFEATURES_H
#define XFC_BACKENDS_RUNTIME_CPUFEATURES_H

#include <string>
#include <vector>

namespace xfc::runtime {

/// The entries of `features` (GCC __builtin_cpu_supports names) that this
/// CPU lacks; a name the runtime does not know counts as lacking, with
/// " (unknown to this runtime)" appended, since running code that needs an
/// unverifiable feature could die of SIGILL.
std::vector<std::string>
findMissingCpuFeatures(const std::vector<std::string> &features);

} // namespace xfc::runtime

#endif // XFC_BACKENDS_RUNTIME_CPUFEATURES_H
