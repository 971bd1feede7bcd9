# The RPM spec (packaging/rpm/tune.spec), built with Debian's rpmbuild by
# packaging/rpm/build-rpm.sh and checked: files against the install layout,
# the scriptlets' hooks, no fault points in the packaged binary. Skipped
# without rpmbuild. Not in a sanitizer build, as the Debian package's test.
if(NOT TUNE_SANITIZE)
  add_test(NAME packaging.rpm_build
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/rpm_build_test.sh ${CMAKE_BINARY_DIR}/rpm)
  # A cold build on two cores is a full compile, as the Debian package's (7 to
  # 20 minutes, by the load); with ccache warm the test takes about 25 s.
  # Started early (COST), so the rest of the suite runs beside it.
  set_tests_properties(packaging.rpm_build PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800 COST 80000)
endif()
