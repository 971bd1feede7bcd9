# CI provisioning (docs/CI.md): the JSON outputs against docs/schema, and the
# exit codes a pipeline gates on.
add_test(NAME packaging.ci_json_schema COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/ci_json_schema_test.sh $<TARGET_FILE:tune>)
# Its apply --validate benchmarks, and the benchmark takes a huge page when the
# pool has one: not while e2e.memory_kernel sizes the pool and checks it empties.
set_tests_properties(packaging.ci_json_schema PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 RESOURCE_LOCK kernel_memory)
