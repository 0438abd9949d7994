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

# tk_add_module(NAME SOURCES a.c ... [DEPS other_module ...]): builds src/NAME as the static
# library tk_NAME, linked with the modules it depends on and the external libraries, and adds
# it to the `teekeys` interface target.
function(tk_add_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tk_${name} STATIC ${M_SOURCES})
  target_include_directories(tk_${name} PUBLIC ${CMAKE_SOURCE_DIR}/include
                                               ${CMAKE_BINARY_DIR}/generated)
  set(deps)
  foreach(d ${M_DEPS})
    list(APPEND deps tk_${d})
  endforeach()
  target_link_libraries(tk_${name} PUBLIC ${deps} ${TK_EXTERNAL_LIBS})
  target_link_libraries(teekeys INTERFACE tk_${name})
endfunction()

# tk_add_test(NAME src1.c ... [MODULES m1 m2 ...]): a cmocka test registered with CTest under
# NAME, run from the source directory so vector paths are stable. MODULES limits what it links
# (default: every module), so one module's tests build without the others.
function(tk_add_test name)
  cmake_parse_arguments(T "" "" "MODULES" ${ARGN})
  add_executable(${name} ${T_UNPARSED_ARGUMENTS})
  if(T_MODULES)
    foreach(m ${T_MODULES})
      target_link_libraries(${name} PRIVATE tk_${m})
    endforeach()
  else()
    target_link_libraries(${name} PRIVATE teekeys)
  endif()
  target_link_libraries(${name} PRIVATE PkgConfig::CMOCKA)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT
    "TK_SHARED_DIR=${CMAKE_SOURCE_DIR}/../shared;TK_BIN_DIR=${CMAKE_BINARY_DIR}/bin")
endfunction()

# tk_add_test_tool(NAME src.c ... MODULES m ...): a helper program that oracle scripts drive
# (a bridge reading requests on stdin); built into <build>/tests, not a test by itself.
function(tk_add_test_tool name)
  cmake_parse_arguments(T "" "" "MODULES" ${ARGN})
  add_executable(${name} ${T_UNPARSED_ARGUMENTS})
  foreach(m ${T_MODULES})
    target_link_libraries(${name} PRIVATE tk_${m})
  endforeach()
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
endfunction()

# tk_add_oracle_test(NAME script.mjs [args...]): a cross-check against an independent
# implementation from tests/oracle (npm, test only), run with Node. The script gets
# TK_BIN_DIR (CLI binaries) and TK_TEST_BIN_DIR (test helper binaries) in its environment and
# must exit non-zero on any disagreement.
function(tk_add_oracle_test name script)
  add_test(NAME ${name} COMMAND node ${CMAKE_SOURCE_DIR}/tests/oracle/${script} ${ARGN}
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT
    "TK_SHARED_DIR=${CMAKE_SOURCE_DIR}/../shared;TK_BIN_DIR=${CMAKE_BINARY_DIR}/bin;TK_TEST_BIN_DIR=${CMAKE_BINARY_DIR}/tests"
    LABELS oracle)
endfunction()

# tk_add_fuzzer(NAME src.c): a libFuzzer target in <build>/fuzz.
# MODULES as for tk_add_test.
function(tk_add_fuzzer name)
  cmake_parse_arguments(F "" "" "MODULES" ${ARGN})
  add_executable(${name} ${F_UNPARSED_ARGUMENTS})
  if(F_MODULES)
    foreach(m ${F_MODULES})
      target_link_libraries(${name} PRIVATE tk_${m})
    endforeach()
  else()
    target_link_libraries(${name} PRIVATE teekeys)
  endif()
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
endfunction()
