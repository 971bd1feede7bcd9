// ProfileStore: finds profiles by name along a search path and resolves
// `extends` into one flat profile.
#pragma once

#include "core/profile.h"

#include <string>
#include <vector>

namespace tune {

class ProfileStore {
 public:
  // Directories searched in order; the first holding NAME.yaml wins, so
  // local profiles in /etc/tune/profiles override shipped ones.
  explicit ProfileStore(std::vector<std::string> directories) : directories_(std::move(directories)) {}

  const std::vector<std::string>& directories() const { return directories_; }

  // NAME, or a path to a file (anything with a '/' or ending in .yaml/.yml).
  Result<Profile> load(const std::string& name_or_path) const;

  // Parents merged in, depth first in the order `extends` lists them, so a
  // later parent overrides an earlier one and the profile itself overrides
  // all. A cycle is an error.
  Result<Profile> resolve(const std::string& name_or_path) const;

  // Every profile on the search path (first of each name), parsed; files
  // that fail to parse are returned as errors beside them.
  struct Listing {
    std::vector<Profile> profiles;
    std::vector<Error> errors;
  };
  Listing list() const;

 private:
  Result<std::string> locate(const std::string& name) const;
  Status resolve_into(const std::string& name_or_path, std::vector<std::string>& stack,
                      std::vector<const Profile*>& order, std::vector<std::unique_ptr<Profile>>& loaded) const;

  std::vector<std::string> directories_;
};

// Read a whole file from the machine tune runs on (profiles, saved plans,
// fact files): inputs, not host state, so they do not go through System.
Result<std::string> read_input_file(const std::string& path);

}  // namespace tune
