# The libraries of the Windows build, from the prefix scripts/windows-deps.sh
# filled (TUNE_WINDOWS_DEPS), under the same target names find_package and
# pkg-config give the Linux build, so no other CMakeLists.txt tells them apart.
if(NOT TUNE_WINDOWS_DEPS)
  message(FATAL_ERROR "The Windows build needs -DTUNE_WINDOWS_DEPS=DIR (scripts/windows-deps.sh prints it)")
endif()
set(TUNE_WINDOWS_INCLUDE ${TUNE_WINDOWS_DEPS}/include)

# Header-only libraries: one interface target each over the staged headers.
function(tune_header_only target)
  add_library(${target} INTERFACE IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${TUNE_WINDOWS_INCLUDE})
endfunction()
tune_header_only(CLI11::CLI11)
tune_header_only(nlohmann_json::nlohmann_json)
tune_header_only(PkgConfig::TOMLPP)

# Built from Debian's source packages: spdlog over an external fmt, as Debian's is.
find_package(fmt REQUIRED CONFIG)
find_package(spdlog REQUIRED CONFIG)
find_package(yaml-cpp REQUIRED CONFIG)
find_package(Threads REQUIRED)

# The Windows headers without their rarely used parts (and the `interface`
# macro those bring, which is also a parameter name in util/system.h), and
# without min/max macros that break std::min.
# gmtime_r and localtime_r from MinGW's time.h, as on POSIX.
add_compile_definitions(WIN32_LEAN_AND_MEAN NOMINMAX _POSIX_THREAD_SAFE_FUNCTIONS)
