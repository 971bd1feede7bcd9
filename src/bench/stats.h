// The statistics behind `tune bench compare`: summaries of repeated
// measurements, a bootstrap confidence interval for the change of the
// median, and the Mann-Whitney rank test. Deterministic: the bootstrap uses
// a fixed seed, so the same files always give the same verdict.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tune::bench {

struct Summary {
  size_t count = 0;
  double median = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  double stddev = 0;  // sample standard deviation (0 for one sample)
};

Summary summarize(std::vector<double> samples);

// The p-th percentile (0..100) with linear interpolation between ranks.
double percentile(std::vector<double> samples, double p);

struct Interval {
  double low = 0;
  double high = 0;
};

// 95% (or `confidence`) percentile-bootstrap interval of
// median(after) / median(before) - 1, resampling each side independently.
Interval bootstrap_change_interval(const std::vector<double>& before, const std::vector<double>& after,
                                   double confidence = 0.95, int resamples = 10000, uint64_t seed = 0x7e57);

// 95% (or `confidence`) percentile-bootstrap interval of one sample's
// median: how precisely the repetitions pin down the value reported.
Interval bootstrap_median_interval(const std::vector<double>& samples, double confidence = 0.95,
                                   int resamples = 10000, uint64_t seed = 0x7e57);

// Two-sided p-value of the Mann-Whitney U test that the two samples come from
// the same distribution: exact for small samples without ties, the normal
// approximation with a tie correction otherwise.
double mann_whitney_p(const std::vector<double>& before, const std::vector<double>& after);

}  // namespace tune::bench
