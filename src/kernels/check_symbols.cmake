# cmake -DNM=<nm> -DOBJECTS=<a;b;c> -P check_symbols.cmake
# Fails unless every per-target kernel object defines exactly one global
# symbol, its polybatch_kernel_table_<target> accessor: anything else could be merged
# by the linker with a same-named copy compiled for another instruction set.
foreach(object IN LISTS OBJECTS)
  execute_process(COMMAND ${NM} -g --defined-only ${object} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${object}")
  endif()
  string(REGEX REPLACE "\n$" "" out "${out}")
  string(REPLACE "\n" ";" lines "${out}")
  list(LENGTH lines count)
  if(NOT count EQUAL 1 OR NOT out MATCHES " T polybatch_kernel_table_[a-z0-9]+$")
    message(FATAL_ERROR "${object} exports more than its kernel table:\n${out}")
  endif()
  message(STATUS "${object}: ${out}")
endforeach()
