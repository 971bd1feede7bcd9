// TempTree: a throw-away directory that plays a host's root for rooted tests.
#pragma once

#include <cstdint>
#include <string>

namespace tune::testing {

class TempTree {
 public:
  TempTree();
  ~TempTree();
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::string& root() const { return root_; }
  // Host path -> real path under the tree.
  std::string real(const std::string& path) const { return root_ + path; }

  // Create a file (and its parents) holding content.
  void write(const std::string& path, const std::string& content, uint32_t mode = 0644) const;
  void mkdir(const std::string& path) const;
  std::string read(const std::string& path) const;
  bool exists(const std::string& path) const;
  uint32_t mode(const std::string& path) const;

 private:
  std::string root_;
};

// Read a whole file from the source tree, relative to the repository root.
std::string source_file(const std::string& relative);
std::string source_dir();

}  // namespace tune::testing
