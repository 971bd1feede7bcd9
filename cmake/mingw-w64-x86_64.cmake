# Cross-compiling tune for 64-bit Windows with Debian's MinGW-w64
# (g++-mingw-w64-x86-64). The POSIX thread model (the "-posix" compilers)
# is the one whose libstdc++ has std::thread and std::mutex on every GCC
# Debian ships; the win32 model lacks them before GCC 13.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(TUNE_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${TUNE_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${TUNE_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${TUNE_MINGW_TRIPLE}-windres)

# Search the MinGW sysroot and the dependencies built for Windows
# (scripts/windows-deps.sh, passed as CMAKE_PREFIX_PATH), never /usr: a Linux
# header or library found there would be the wrong one.
set(CMAKE_FIND_ROOT_PATH /usr/${TUNE_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# One self-contained tune.exe: no libstdc++-6.dll, libgcc_s or
# libwinpthread-1.dll to ship beside it or to find on wine's PATH.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Programs built here that the build itself runs (tools/knowledge_pack) run
# under wine, through the wrapper beside this file.
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh CACHE FILEPATH
    "Runs a Windows program built here (wine64)")

# The prefix scripts/windows-deps.sh filled (-DTUNE_WINDOWS_DEPS=DIR) is a
# root of its own, so find_package finds yaml-cpp and GoogleTest there.
if(TUNE_WINDOWS_DEPS)
  list(APPEND CMAKE_FIND_ROOT_PATH ${TUNE_WINDOWS_DEPS})
endif()
