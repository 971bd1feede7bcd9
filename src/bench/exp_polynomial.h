// The constants of e^x in single precision, shared by every vector set's
// exponentials (kernels.h): e^x = 2^n * e^r with n = round(x * log2(e)), r =
// x - n * ln 2 taken in two parts so r keeps its low bits, and e^r = 1 + r +
// r^2 * p(r) with the polynomial of the Cephes library's expf (within about
// one ulp on |r| <= ln 2 / 2). Data only: each set evaluates it in its own
// instructions.
#pragma once

namespace tune::bench::exp_polynomial {

constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2High = 0.693359375f;  // few enough bits that n * kLn2High is exact
constexpr float kLn2Low = -2.12194440e-4f;
// p(r), highest power first, for Horner's rule.
constexpr float kCoefficients[] = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f,
                                   4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};

}  // namespace tune::bench::exp_polynomial
