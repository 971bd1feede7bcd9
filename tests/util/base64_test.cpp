#include "util/base64.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, RoundTripsEveryByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (size_t cut = 0; cut < 4; ++cut) {
    std::string part = bytes.substr(cut);
    EXPECT_EQ(base64_decode(base64_encode(part)), part);
  }
}

TEST(Base64, RejectsDamagedText) {
  EXPECT_FALSE(base64_decode("Zm9"));      // not a multiple of four
  EXPECT_FALSE(base64_decode("Zm*v"));     // outside the alphabet
  EXPECT_FALSE(base64_decode("Z==="));      // one character cannot make a byte
  EXPECT_FALSE(base64_decode("Zg==Zm9v"));  // padding in the middle
}

}  // namespace
}  // namespace tune
