# cmake -DOBJDUMP=<objdump> -DOBJECTS=<object> -P check_prefetch_hints.cmake
# Fails unless the object has both kinds of prefetch the kernel issues: for
# reading (operands) and for writing (results).
foreach(object IN LISTS OBJECTS)
  execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn ${object} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${OBJDUMP} failed on ${object}")
  endif()
  string(REGEX MATCHALL "prefetchw[ \t]" for_writing "${out}")
  string(REGEX MATCHALL "prefetcht0[ \t]" for_reading "${out}")
  list(LENGTH for_writing writes)
  list(LENGTH for_reading reads)
  if(writes EQUAL 0 OR reads EQUAL 0)
    message(FATAL_ERROR "${object}: the product kernel lost its prefetch hints "
                        "(${writes} for writing, ${reads} for reading)")
  endif()
  message(STATUS "${object}: ${writes} prefetches for writing, ${reads} for reading")
endforeach()
