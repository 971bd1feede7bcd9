// Helpers for the profile tests: parse a profile from text.
#pragma once

#include "core/profile.h"

#include <gtest/gtest.h>

#include <string>

namespace tune::testing {

inline Result<Profile> parse_text(const std::string& text) { return parse_profile(text, "t.yaml"); }

// The error message of a parse that must fail.
inline std::string parse_error(const std::string& text) {
  auto profile = parse_text(text);
  if (profile) return "(parsed without error)";
  return profile.error().message;
}

inline const Setting* find_setting(const Profile& profile, const std::string& address) {
  for (const auto& setting : profile.settings) {
    if (setting.address() == address) return &setting;
  }
  return nullptr;
}

}  // namespace tune::testing
