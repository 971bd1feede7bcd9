// Statistics of paired measurements: the same metric measured in the
// baseline and the changed state, one pair at a time, the two members of a
// pair taken back to back. Drift of the host (memory bandwidth wandering over
// minutes on a shared machine) moves both members of a pair alike, so it
// cancels in their ratio; two blocks measured one after the other keep it.
//
// The change is estimated on log ratios, log(changed / baseline), with the
// Hodges-Lehmann estimator and the confidence interval that inverts the
// Wilcoxon signed-rank test: exact for small samples, and one disturbed pair
// (a neighbour's burst) moves it by one rank, not by its size.
#pragma once

#include "bench/stats.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace tune::bench {

struct PairedChange {
  size_t pairs = 0;
  double change = 0;     // changed / baseline - 1, from the Hodges-Lehmann estimate of the log ratio
  Interval interval;     // of the change, at the requested confidence
  bool bounded = false;  // false: too few pairs for an interval at that confidence (it is then the whole range)
  double spread = 0;     // robust standard deviation of the log ratios (1.4826 MAD; from 5 pairs), as a fraction
};

// a[i] and b[i] are one pair (baseline, changed); pairs with a value that is
// not positive are left out. confidence: 0.95 for a 95% interval.
PairedChange paired_change(const std::vector<double>& a, const std::vector<double>& b, double confidence = 0.95);

// One-sided p-value of the Wilcoxon signed-rank test that the log ratios of
// the pairs lie below log(1 + shift) (shift -0.05: more than 5% lower), by
// the exact distribution for up to 60 pairs (zero differences dropped, tied
// magnitudes sharing their mean rank).
double signed_rank_p_below(const std::vector<double>& a, const std::vector<double>& b, double shift);

// How many pairs of the signed-rank distribution's lower tail fall at or
// below probability `tail`: the rank of the interval's bound among the
// Walsh averages. 0 when even the most extreme outcome is likelier.
size_t signed_rank_critical_count(size_t pairs, double tail);

// Holm's step-down correction: which of the hypotheses with these p-values
// are rejected at family-wise level alpha.
std::vector<bool> holm_reject(const std::vector<double>& p_values, double alpha);

// The spread of log ratios of pairs measured in one state (an A/A
// calibration): the host's noise for one pair, as a fraction. 1.4826 MAD
// from five pairs, the standard deviation below.
double pair_noise(const std::vector<double>& a, const std::vector<double>& b);

// The change a paired design of `pairs` pairs can tell from noise of
// `noise` (pair_noise) at this confidence: the half-width of its interval,
// about t(1 - (1-confidence)/2, pairs-1) * noise / sqrt(pairs).
double resolvable_change(double noise, size_t pairs, double confidence = 0.95);

// Student's t distribution: the quantile for probability p with df degrees of freedom.
double student_t_quantile(double p, double df);

}  // namespace tune::bench
