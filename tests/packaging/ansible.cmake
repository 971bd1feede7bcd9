# The Ansible collection (packaging/ansible) driven by Debian's ansible-playbook
# against localhost on a rooted tree; skipped (77) where ansible-core is absent.
# Ansible starts a Python for every task, so it gets more time than a plain e2e test.
# The collection, not tune's memory safety, is under test: the plain build only.
if(NOT TUNE_SANITIZE)
  add_test(NAME packaging.ansible
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/ansible_test.sh $<TARGET_FILE:tune>)
  set_tests_properties(packaging.ansible PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
