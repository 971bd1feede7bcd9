# The tests of the portable Unix build (TUNE_PORTABLE_UNIX: macOS, and the
# build/portable check scripts/test.sh makes on Linux): the door, the core,
# the profiles, the audit and the macOS backend, which hold on any Unix. Not
# here: the Linux backend and detection (kernel trees with symlinks, which
# the portable door does not follow under a root), systemd, the runner and the
# shell end-to-end tests. Globs, so a test added beside these joins.
file(GLOB TUNE_PORTABLE_DOOR_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/util/*_test.cpp)
list(FILTER TUNE_PORTABLE_DOOR_TESTS EXCLUDE REGEX "_win32_test\\.cpp$")
tune_test_binary(tune_util_tests SOURCES ${TUNE_PORTABLE_DOOR_TESTS} LIBS tune_util)

file(GLOB TUNE_PORTABLE_CORE_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/core/*_test.cpp)
tune_test_binary(tune_core_tests SOURCES ${TUNE_PORTABLE_CORE_TESTS} LIBS tune_platforms)

file(GLOB TUNE_MACOS_BACKEND_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/platform/macos/*.cpp)
tune_test_binary(tune_platform_macos_tests SOURCES ${TUNE_MACOS_BACKEND_TESTS} LIBS tune_platforms tune_detect)

file(GLOB TUNE_PORTABLE_AUDIT_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/audit/*_test.cpp)
tune_test_binary(audit_tests SOURCES ${TUNE_PORTABLE_AUDIT_TESTS} LIBS tune_audit)

file(GLOB TUNE_SHIPPED_PROFILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/profiles/*.yaml)
add_test(NAME profiles.shipped_check COMMAND tune --quiet profiles check ${TUNE_SHIPPED_PROFILES})
add_test(NAME portable.cli COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/portable/portable_cli_test.sh $<TARGET_FILE:tune>)
set_tests_properties(portable.cli PROPERTIES SKIP_RETURN_CODE 77)
