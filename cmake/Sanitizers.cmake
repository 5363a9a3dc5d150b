# Sanitizer builds: -DMV_SANITIZE=address,undefined (any list -fsanitize= accepts).
#
# Applied to every target defined after this module is included (mvcore, mvgen, the
# plugin, the test executables and their support library), compile and link alike.
# -fno-sanitize-recover=all turns every UBSan report into an abort instead of a line on
# stderr, and -fno-omit-frame-pointer keeps the stack traces of reports usable.
#
# The run-time options (ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS) are given to each
# test by tests/CMakeLists.txt (mv_sanitizer_test_environment below), so a test and
# the mvgen child processes it launches all abort on the first report and write it
# under <build>/sanitizer-reports/, which scripts/test.sh checks is empty.
set(MV_SANITIZE "" CACHE STRING
  "Comma-separated sanitizers to build with (e.g. address,undefined); empty for none")

if(MV_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang|GNU")
    message(FATAL_ERROR "MV_SANITIZE needs clang or gcc, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  set(_mv_san_flags -fsanitize=${MV_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=${MV_SANITIZE}")
  set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=${MV_SANITIZE}")
  check_cxx_source_compiles("int main() { return 0; }" MV_SANITIZE_WORKS)
  unset(CMAKE_REQUIRED_FLAGS)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(NOT MV_SANITIZE_WORKS)
    message(FATAL_ERROR "MV_SANITIZE=${MV_SANITIZE}: the compiler cannot build and link with "
      "-fsanitize=${MV_SANITIZE} (with Debian's clang 14 install libclang-rt-14-dev)")
  endif()
  add_compile_options(${_mv_san_flags})
  add_link_options(-fsanitize=${MV_SANITIZE})
  message(STATUS "Sanitizers: ${MV_SANITIZE} (${_mv_san_flags})")

  # Where every sanitizer report goes (one file per process: <prefix>.<pid>).
  set(MV_SANITIZER_REPORT_DIR "${CMAKE_BINARY_DIR}/sanitizer-reports")
  file(MAKE_DIRECTORY "${MV_SANITIZER_REPORT_DIR}")
  find_program(MV_LLVM_SYMBOLIZER NAMES llvm-symbolizer llvm-symbolizer-14
    HINTS /usr/lib/llvm-14/bin)
endif()

# The ENVIRONMENT list a test needs under MV_SANITIZE (empty otherwise), in OUT_VAR.
# Child processes (mvgen launched by test-cli) inherit it.
function(mv_sanitizer_test_environment out_var)
  set(_env "")
  if(MV_SANITIZE)
    set(_supp "${PROJECT_SOURCE_DIR}/tests/sanitizers")
    set(_log "${MV_SANITIZER_REPORT_DIR}/report")
    list(APPEND _env
      "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1:strict_init_order=1:check_initialization_order=1:detect_stack_use_after_return=1:log_path=${_log}"
      "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=${_log}"
      "LSAN_OPTIONS=suppressions=${_supp}/lsan.supp:print_suppressions=0")
    if(MV_LLVM_SYMBOLIZER)
      list(APPEND _env "ASAN_SYMBOLIZER_PATH=${MV_LLVM_SYMBOLIZER}")
    endif()
  endif()
  set(${out_var} "${_env}" PARENT_SCOPE)
endfunction()
