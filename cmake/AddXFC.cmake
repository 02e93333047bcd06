#===- AddXFC.cmake - Helpers for xfc's TableGen targets --------------------===#
# SPDX-License-Identifier: Apache-2.0
#===----------------------------------------------------------------------===#

# add_xfc_dialect(dialect dialect_namespace)
# Like add_mlir_dialect, and hangs the generated headers on xfc-headers so any
# library can depend on "all generated xfc headers" at once.
function(add_xfc_dialect dialect dialect_namespace)
  add_mlir_dialect(${dialect} ${dialect_namespace})
  add_dependencies(xfc-headers MLIR${dialect}IncGen)
endfunction()

# add_xfc_doc(td_filename output_file command)
# Generates a Markdown page under build/docs and hangs it on xfc-doc.
function(add_xfc_doc td_filename output_file command)
  add_mlir_doc(${td_filename} ${output_file} "${XFC_DOC_SUBDIR}" ${command} ${ARGN})
  add_dependencies(xfc-doc ${output_file}DocGen)
endfunction()
