# The Windows build's tests (MinGW-w64, run under wine64 by
# scripts/windows-test.sh): the Windows backend, which is logic over a
# recorded host, and the Windows door itself. The macOS backend's tests are
# Linux's: they check Unix file modes of plists, which NTFS does not keep. The Linux-only tests
# (kernel trees, openat2, systemd, the bench, the shell end-to-end tests)
# are not built here. No ctest discovery: it would run each binary under
# wine at build time; the script runs them and reads GoogleTest's output.
add_library(tune_test_support STATIC support/temp_tree.cpp support/corpora.cpp)
target_include_directories(tune_test_support PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(tune_test_support PRIVATE TUNE_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(tune_test_support PUBLIC GTest::gtest tune_util)
add_library(tune_test_main STATIC support/test_main.cpp)
target_link_libraries(tune_test_main PUBLIC GTest::gtest spdlog::spdlog)

function(tune_windows_test_binary name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} tune_test_support tune_test_main)
endfunction()

# Every source of the Windows backend's test directory, so a test added there
# for the Linux build is in this one too.
file(GLOB TUNE_WINDOWS_BACKEND_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/platform/windows/*.cpp)
tune_windows_test_binary(tune_platform_windows_tests SOURCES ${TUNE_WINDOWS_BACKEND_TESTS} LIBS tune_platforms tune_detect)
tune_windows_test_binary(tune_windows_door_tests
  SOURCES util/windows_paths_test.cpp util/local_system_win32_test.cpp util/text_test.cpp util/sha256_test.cpp
          util/base64_test.cpp util/dry_run_system_test.cpp
  LIBS tune_util)
