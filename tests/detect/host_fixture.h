// The host-class fixtures under tests/fixtures/hosts/NAME: a root/ tree of
// /proc and /sys files, plus an hwloc topology.xml or synthetic.txt where
// the class is described that way (README.md there says which and why).
#pragma once

#include "core/facts.h"
#include "detect/probe.h"
#include "support/temp_tree.h"
#include "util/local_system.h"

#include <fstream>
#include <sstream>
#include <string>

namespace tune::testing {

inline std::string host_fixture_dir(const std::string& name) { return source_dir() + "/tests/fixtures/hosts/" + name; }

inline bool file_exists(const std::string& path) { return std::ifstream(path).good(); }

inline std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The options `tune --root DIR [--topology|--synthetic]` would use for the fixture.
inline DetectOptions fixture_options(const std::string& name, const std::string& root) {
  DetectOptions options;
  options.hwloc_fsroot = root;
  const std::string dir = host_fixture_dir(name);
  if (file_exists(dir + "/topology.xml")) options.topology_xml = dir + "/topology.xml";
  if (file_exists(dir + "/synthetic.txt")) options.synthetic = first_line(dir + "/synthetic.txt");
  return options;
}

// Detect the fixture from `root` (its own root/ unless given a copy).
inline Result<HostFacts> detect_fixture(const std::string& name, std::string root = "") {
  if (root.empty()) root = host_fixture_dir(name) + "/root";
  LocalSystem system(root);
  return detect_host(system, fixture_options(name, root));
}

}  // namespace tune::testing
