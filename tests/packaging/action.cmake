# The CI provisioning step (packaging/github-action): its structure, then its
# shell steps run here against a rooted tree with the tiny synthetic model;
# and the Homebrew formula, checked by structure (no Ruby here).
# They check files of packaging/, not tune's memory safety: the plain build only.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND NOT TUNE_SANITIZE)
  add_test(NAME packaging.ci_action
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/action_steps_test.py $<TARGET_FILE:tune>)
  # Two short benchmarks of the tiny model and one apply: seconds, not minutes.
  # The benchmark takes a huge page when the pool has one: not while a test sizes the pool.
  set_tests_properties(packaging.ci_action PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RESOURCE_LOCK kernel_memory)
endif()
if(Python3_Interpreter_FOUND AND NOT TUNE_SANITIZE)
  add_test(NAME packaging.homebrew_formula
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/action_homebrew_test.py)
  set_tests_properties(packaging.homebrew_formula PROPERTIES TIMEOUT 60)
endif()
