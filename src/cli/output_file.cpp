#include "cli/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

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
  if (::close(fd) != 0 || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return make_error("writing {}: {}", path, std::strerror(error));
  }
  return {};
}

Status check_output_writable(const std::string& path) {
  if (path.empty()) return make_error("no file name given to write");
  const size_t slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (::access(directory.c_str(), W_OK | X_OK) != 0) return make_error("writing {}: {}: {}", path, directory, std::strerror(errno));
  return {};
}

}  // namespace tune::cli
