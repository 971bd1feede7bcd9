#include "support/temp_tree.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#if defined(_WIN32)
#include <io.h>
#include <random>
#endif

namespace tune::testing {

namespace fs = std::filesystem;

TempTree::TempTree() {
#if defined(_WIN32)
  // No mkdtemp on Windows: a random name, taken only when nothing is there yet.
  std::random_device random;
  for (int attempt = 0; attempt < 100 && root_.empty(); ++attempt) {
    const fs::path dir = fs::temp_directory_path() / ("tune-test-" + std::to_string(random()));
    std::error_code ec;
    if (fs::create_directory(dir, ec)) root_ = dir.generic_string();
  }
  if (root_.empty()) throw std::runtime_error("no temporary directory could be made");
#else
  std::string pattern = (fs::temp_directory_path() / "tune-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = pattern;
#endif
}

TempTree::~TempTree() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

void TempTree::write(const std::string& path, const std::string& content, uint32_t mode) const {
  fs::create_directories(fs::path(real(path)).parent_path());
  {
    std::ofstream out(real(path), std::ios::binary | std::ios::trunc);
    out << content;
  }
  ::chmod(real(path).c_str(), mode);
}

void TempTree::mkdir(const std::string& path) const { fs::create_directories(real(path)); }

std::string TempTree::read(const std::string& path) const {
  std::ifstream in(real(path), std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool TempTree::exists(const std::string& path) const {
  std::error_code ec;
  return fs::exists(fs::symlink_status(real(path), ec));
}

uint32_t TempTree::mode(const std::string& path) const {
  struct stat st {};
  if (::stat(real(path).c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

std::string source_dir() {
  const char* dir = std::getenv("TUNE_SOURCE_DIR");
  return dir ? dir : TUNE_TEST_SOURCE_DIR;
}

std::string source_file(const std::string& relative) {
  std::ifstream in(source_dir() + "/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read source file " + relative);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace tune::testing
