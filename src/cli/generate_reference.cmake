# Runs the built tune to write the man pages and the three completion scripts
# into OUT (cmake -DTUNE=... -DOUT=... -P): man/*.1, completions/tune,
# completions/_tune, completions/tune.fish. Pages of a command that is gone
# must not linger, so man/ is written afresh.
file(REMOVE_RECURSE ${OUT}/man ${OUT}/completions)
file(MAKE_DIRECTORY ${OUT}/completions)
# No TUNE_* variable may change what is generated.
unset(ENV{TUNE_PROFILES_PATH})
unset(ENV{TUNE_TEMPLATES_PATH})
execute_process(COMMAND ${TUNE} completion --man ${OUT}/man RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "tune completion --man failed: ${result}")
endif()
foreach(shell bash zsh fish)
  set(file_bash tune)
  set(file_zsh _tune)
  set(file_fish tune.fish)
  execute_process(COMMAND ${TUNE} completion ${shell} OUTPUT_FILE ${OUT}/completions/${file_${shell}}
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "tune completion ${shell} failed: ${result}")
  endif()
endforeach()
file(TOUCH ${OUT}/reference.stamp)
