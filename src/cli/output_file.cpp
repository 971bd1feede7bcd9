#include "cli/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#if defined(_WIN32)
#include <windows.h>
// No exec on Windows to close descriptors across; text written as it is, no CRLF.
#define O_CLOEXEC O_BINARY
#endif

namespace tune::cli {

Status write_output_file(const std::string& path, std::string_view text) {
  if (path.empty()) return make_error("no file name given to write");
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("writing {}: {}", path, std::strerror(errno));
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      return make_error("writing {}: {}", path, std::strerror(error));
    }
    written += static_cast<size_t>(n);
  }
#if defined(_WIN32)
  // rename() refuses an existing target on Windows; MoveFileEx replaces it.
  const bool replaced = ::close(fd) == 0 && ::MoveFileExA(temporary.c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING);
  if (!replaced) {
    const int error = EACCES;
#else
  if (::close(fd) != 0 || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
#endif
    ::unlink(temporary.c_str());
    return make_error("writing {}: {}", path, std::strerror(error));
  }
  return {};
}

Status check_output_writable(const std::string& path) {
  if (path.empty()) return make_error("no file name given to write");
  const size_t slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
#if defined(_WIN32)
  constexpr int kSearchable = 0;  // no execute bit on Windows directories
#else
  constexpr int kSearchable = X_OK;
#endif
  if (::access(directory.c_str(), W_OK | kSearchable) != 0) return make_error("writing {}: {}: {}", path, directory, std::strerror(errno));
  return {};
}

}  // namespace tune::cli
