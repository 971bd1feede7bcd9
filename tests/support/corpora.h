// Where the tests' outside corpora live: the seed guides (copied into the
// repository) and Debian's TuneD profiles (unpacked by install-deps.sh from
// the tuned package without installing its daemon).
#pragma once

#include <string>

namespace tune::testing {

// tests/fixtures/seeds in the source tree, or $TUNE_SEEDS_DIR.
std::string seeds_dir();

// $TUNE_TUNED_DIR, else .deps/tuned/usr/lib/tuned in the source tree, else
// /usr/lib/tuned; empty when none holds TuneD profiles.
std::string tuned_profiles_dir();

}  // namespace tune::testing
