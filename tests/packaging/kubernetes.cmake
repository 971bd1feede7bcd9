# The Kubernetes node tuner (packaging/kubernetes): its manifests against the
# Kubernetes API schema (npm packages in .deps/npm; skipped without them), the
# promises of its README, the container's script and preStop hook run through
# the real tune against a node-like tree, and its Containerfile.
# The manifests, not tune's memory safety, are under test: the plain build only.
if(NOT TUNE_SANITIZE)
  add_test(NAME packaging.kubernetes_manifests
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/k8s_manifests_test.sh $<TARGET_FILE:tune>)
  set_tests_properties(packaging.kubernetes_manifests PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
endif()
