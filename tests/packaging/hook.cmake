# tune hook post-install | pre-remove (the package's maintainer scripts): on a
# rooted tree, and their lines reaching a stand-in journald socket in private
# namespaces. The [hook] keys of tune.toml are unit tests in
# tests/core/policy_test.cpp (Policy.Hook*), discovered with profile_tests.
foreach(script hook_rooted hook_system_log)
  add_test(NAME packaging.${script} COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/${script}_test.sh $<TARGET_FILE:tune>)
  set_tests_properties(packaging.${script} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
endforeach()
