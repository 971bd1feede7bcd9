# The Debian package (packaging/debian): built from the working tree with
# scripts/build-deb.sh and checked by lintian (packaging.deb_build), then
# installed, upgraded, removed and purged in the whole-system test's virtual
# machine (packaging.deb_vm). Not in a sanitizer build: the package is built
# on its own, and the machine is slow enough without a second run of it.
if(NOT TUNE_SANITIZE)
  add_test(NAME packaging.deb_build COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/deb_build.sh ${CMAKE_BINARY_DIR}/deb)
  # From a cold ccache the package takes about 14 CPU minutes to build
  # (measured: 32 minutes on two cores shared with five other builds); from a
  # warm one, one or two. Started first (COST), so the suite runs beside it.
  set_tests_properties(packaging.deb_build PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 2400 COST 90000
                       FIXTURES_SETUP tune_deb)
  add_test(NAME packaging.deb_build_paths COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/deb_build_paths.sh ${CMAKE_BINARY_DIR}/deb)
  set_tests_properties(packaging.deb_build_paths PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60 FIXTURES_REQUIRED tune_deb)
  add_test(NAME packaging.deb_vm
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/deb_vm.sh $<TARGET_FILE:tune> ${CMAKE_BINARY_DIR}/deb)
  # One boot under software emulation, about a minute. The machine takes the
  # same memory lock as vm.systemd_reboots, so the two never boot at once.
  set_tests_properties(packaging.deb_vm PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1200 RESOURCE_LOCK kernel_memory
                       COST 80000 FIXTURES_REQUIRED tune_deb)
endif()
