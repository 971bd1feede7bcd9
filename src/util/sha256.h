// SHA-256 (FIPS 180-4), used to fingerprint profiles, plans and files so a
// saved plan can tell whether the host or the profile moved since.
#pragma once

#include <string>
#include <string_view>

namespace tune {

// Lowercase hexadecimal digest of data.
std::string sha256_hex(std::string_view data);

}  // namespace tune
