# Shared build settings and helpers: warnings, sanitizers, tk_add_test(), tk_add_fuzzer().

set(TK_WARNINGS -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes
                -Wvla -Wpointer-arith -Wundef)
if(TK_WERROR)
  list(APPEND TK_WARNINGS -Werror)
endif()
add_compile_options(${TK_WARNINGS} -fno-common -fstack-protector-strong)
if(CMAKE_BUILD_TYPE MATCHES "Rel")
  add_compile_definitions(_FORTIFY_SOURCE=2)
endif()
add_compile_definitions(_GNU_SOURCE)

if(TK_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
if(TK_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TK_FUZZ needs clang (CC=clang)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# tk_add_test(NAME src1.c [src2.c ...]): a cmocka test linked with libteekeys, registered
# with CTest under NAME and run from the source directory so that vector paths are stable.
function(tk_add_test name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE teekeys PkgConfig::CMOCKA)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "TK_SHARED_DIR=${CMAKE_SOURCE_DIR}/../shared;TK_BIN_DIR=${CMAKE_BINARY_DIR}/bin")
endfunction()

# tk_add_fuzzer(NAME src.c): a libFuzzer target in <build>/fuzz.
function(tk_add_fuzzer name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE teekeys)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
endfunction()
