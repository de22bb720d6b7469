# Run by CTest for each compile-fail source: building TARGET in BUILD_DIR
# must fail, and the compiler's output must match every "// expect: REGEX"
# line of SOURCE, so a test fails for the stated reason and not another one
# (a typo, a missing header) that would make it pass vacuously.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET} RESULT_VARIABLE status
                OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(status EQUAL 0)
  message(FATAL_ERROR "${TARGET}: compiled, but it must not")
endif()
file(STRINGS ${SOURCE} expectations REGEX "^// expect: ")
if(NOT expectations)
  message(FATAL_ERROR "${SOURCE}: no '// expect: REGEX' line: any compile error (a typo) would pass")
endif()
# The build's own lines (commands, progress) name the target and the source
# file: a word of the file's name must not satisfy an expectation by itself.
get_filename_component(stem ${SOURCE} NAME_WE)
string(REPLACE "${stem}" "<source>" output "${output}")
foreach(line IN LISTS expectations)
  string(REGEX REPLACE "^// expect: " "" pattern "${line}")
  if(NOT output MATCHES "${pattern}")
    message(FATAL_ERROR "${TARGET}: failed to compile, but the output does not match '${pattern}':\n${output}")
  endif()
endforeach()
