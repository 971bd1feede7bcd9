# The install layout, the man pages and the completions (docs/CLI.md,
# "Man pages and completions"). All three read what the tune_reference target
# wrote into the build's reference/ (the man pages, the three scripts).
add_test(NAME packaging.install_layout
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/install_layout_test.sh $<TARGET_FILE:tune> ${PROJECT_BINARY_DIR}
          ${PROJECT_SOURCE_DIR})
add_test(NAME packaging.cli_reference
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli_reference_test.sh $<TARGET_FILE:tune> ${PROJECT_BINARY_DIR}/reference)
add_test(NAME packaging.completion_bash
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli_reference_completion_test.sh $<TARGET_FILE:tune>
          ${PROJECT_BINARY_DIR}/reference)
set_tests_properties(packaging.install_layout packaging.cli_reference packaging.completion_bash
  PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)  # generous: under ASan on a loaded 2-core machine one run took over 120 s
