# Warning, sanitizer and architecture flags for the project's own targets
# (never forced on users of the installed INTERFACE target).
# polybatch_target_flags(TARGET [NO_NATIVE]): NO_NATIVE for code compiled for
# one fixed instruction set (the compiled kernels' per-target objects), which
# -march=native must not override.
function(polybatch_target_flags target)
  cmake_parse_arguments(ARG "NO_NATIVE" "" "" ${ARGN})
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(POLYBATCH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(POLYBATCH_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(POLYBATCH_NATIVE AND NOT ARG_NO_NATIVE)
    target_compile_options(${target} PRIVATE -march=native)
  endif()
endfunction()
