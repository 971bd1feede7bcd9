// The knowledge compiled into tune: JSON packed from data/knowledge/*.yaml
// by tools/knowledge_pack at build time, embedded by data/knowledge/embed.cmake.
#include "core/knowledge.h"

#include <cstdio>
#include <cstdlib>

namespace tune {

// Generated into the build tree (knowledge_data.cpp).
const std::string& builtin_knowledge_json();

const Knowledge& Knowledge::builtin() {
  static const Knowledge knowledge = [] {
    auto unpacked = unpack(builtin_knowledge_json());
    if (!unpacked) {
      // The data ships inside the binary and a test loads it, so this is a
      // build defect; fail loudly rather than validate against nothing.
      std::fprintf(stderr, "tune: built-in knowledge is broken: %s\n", unpacked.error().message.c_str());
      std::abort();
    }
    return std::move(*unpacked);
  }();
  return knowledge;
}

}  // namespace tune
