// The few calls of the host door (LocalSystem, ConfinedPaths) that Linux has
// and other Unix systems (macOS) do not, each with the portable way to do the
// same. TUNE_PORTABLE_UNIX (CMake option of the same name, on by default off
// Linux) picks the portable side; CI builds it on Linux too, so the macOS
// build's door is compiled and tested where the project is tested.
#pragma once

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>

#if defined(__linux__) && !defined(TUNE_PORTABLE_UNIX)
#define TUNE_LINUX_DOOR 1
#else
#define TUNE_LINUX_DOOR 0
#endif

namespace tune::posix_door {

// A descriptor that only names a place (for fstat and *at calls): O_PATH on
// Linux needs no read permission; elsewhere a directory opened for reading.
#if TUNE_LINUX_DOOR
inline constexpr int kPathOnly = O_PATH;
#else
inline constexpr int kPathOnly = O_RDONLY;
#endif

// pipe(2) with both ends close-on-exec. Off Linux the flag is set after the
// pipe exists: a program started by another thread in between could inherit
// the ends, which is harmless here (tune starts programs from one thread).
inline int cloexec_pipe(int fds[2]) {
#if TUNE_LINUX_DOOR
  return ::pipe2(fds, O_CLOEXEC);
#else
  if (::pipe(fds) != 0) return -1;
  for (int i = 0; i < 2; ++i) {
    if (::fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0) {
      const int saved = errno;
      ::close(fds[0]);
      ::close(fds[1]);
      errno = saved;
      return -1;
    }
  }
  return 0;
#endif
}

// The data of fd on stable storage before the journal goes on. macOS's
// fsync leaves it in the drive's cache; F_FULLFSYNC asks the drive to write
// it, and a file system without it falls back to fsync.
inline int sync_data(int fd) {
#if TUNE_LINUX_DOOR
  return ::fdatasync(fd);
#elif defined(F_FULLFSYNC)
  if (::fcntl(fd, F_FULLFSYNC) == 0) return 0;
  return ::fsync(fd);
#else
  return ::fsync(fd);
#endif
}

// Reserves size bytes for fd (posix_fallocate's return convention: 0 or an
// error number). macOS has no posix_fallocate: EOPNOTSUPP sends the caller
// to writing zeros, as for Linux file systems without fallocate.
inline int allocate_space(int fd, off_t size) {
#if TUNE_LINUX_DOOR
  return ::posix_fallocate(fd, 0, size);
#else
  (void)fd;
  (void)size;
  return EOPNOTSUPP;
#endif
}

}  // namespace tune::posix_door
