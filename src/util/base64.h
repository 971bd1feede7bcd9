// Base64 (RFC 4648), so the journal can keep a file's exact bytes in JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tune {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace tune
