#include "bench/reference_model.h"

#include <cmath>

namespace tune::bench::testing {
namespace {

std::vector<double> rmsnorm(const std::vector<double>& x, const std::vector<float>& weight, double eps) {
  double sum = 0;
  for (double v : x) sum += v * v;
  const double scale = 1.0 / std::sqrt(sum / static_cast<double>(x.size()) + eps);
  std::vector<double> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = x[i] * scale * weight[i];
  return out;
}

void rope(std::vector<double>& v, int heads, int head_dim, int position, double theta) {
  for (int h = 0; h < heads; ++h) {
    for (int i = 0; i < head_dim; i += 2) {
      const double angle = position * std::pow(theta, -static_cast<double>(i) / head_dim);
      const double a = v[h * head_dim + i];
      const double b = v[h * head_dim + i + 1];
      v[h * head_dim + i] = a * std::cos(angle) - b * std::sin(angle);
      v[h * head_dim + i + 1] = a * std::sin(angle) + b * std::cos(angle);
    }
  }
}

}  // namespace

ReferenceModel::ReferenceModel(const Model& model)
    : model_(model), keys_(model.config.n_layers), values_(model.config.n_layers) {}

std::vector<double> ReferenceModel::matvec(const Matrix& m, const std::vector<double>& x) const {
  std::vector<float> row(static_cast<size_t>(m.cols));
  std::vector<double> out(static_cast<size_t>(m.rows));
  for (int r = 0; r < m.rows; ++r) {
    dequantize_row(m.type, m.row(r), row.size(), row.data());
    double sum = 0;
    for (int c = 0; c < m.cols; ++c) sum += static_cast<double>(row[c]) * x[c];
    out[r] = sum;
  }
  return out;
}

std::vector<double> ReferenceModel::step(int token, int position) {
  const ModelConfig& c = model_.config;
  const int hd = c.head_dim();
  std::vector<float> embedding(static_cast<size_t>(c.dim));
  dequantize_row(model_.token_embedding.type, model_.token_embedding.row(token), embedding.size(), embedding.data());
  std::vector<double> x(embedding.begin(), embedding.end());
  for (int l = 0; l < c.n_layers; ++l) {
    const LayerWeights& w = model_.layers[l];
    auto h = rmsnorm(x, w.attn_norm, c.norm_eps);
    auto q = matvec(w.wq, h);
    auto k = matvec(w.wk, h);
    auto v = matvec(w.wv, h);
    rope(q, c.n_heads, hd, position, c.rope_theta);
    rope(k, c.n_kv_heads, hd, position, c.rope_theta);
    keys_[l].push_back(k);
    values_[l].push_back(v);
    std::vector<double> attention(static_cast<size_t>(c.dim), 0.0);
    for (int head = 0; head < c.n_heads; ++head) {
      const int kv = head / (c.n_heads / c.n_kv_heads);
      std::vector<double> scores;
      double largest = -1e300;
      for (int p = 0; p <= position; ++p) {
        double dot = 0;
        for (int i = 0; i < hd; ++i) dot += q[head * hd + i] * keys_[l][p][kv * hd + i];
        scores.push_back(dot / std::sqrt(static_cast<double>(hd)));
        largest = std::max(largest, scores.back());
      }
      double total = 0;
      for (double& s : scores) total += (s = std::exp(s - largest));
      for (int p = 0; p <= position; ++p) {
        for (int i = 0; i < hd; ++i) attention[head * hd + i] += scores[p] / total * values_[l][p][kv * hd + i];
      }
    }
    auto o = matvec(w.wo, attention);
    for (int i = 0; i < c.dim; ++i) x[i] += o[i];
    h = rmsnorm(x, w.ffn_norm, c.norm_eps);
    auto gate = matvec(w.w_gate, h);
    auto up = matvec(w.w_up, h);
    for (size_t i = 0; i < gate.size(); ++i) gate[i] = gate[i] / (1.0 + std::exp(-gate[i])) * up[i];
    auto down = matvec(w.w_down, gate);
    for (int i = 0; i < c.dim; ++i) x[i] += down[i];
  }
  return matvec(model_.classifier, rmsnorm(x, model_.final_norm, c.norm_eps));
}

std::vector<double> ReferenceModel::logits_after(const std::vector<int>& tokens) {
  std::vector<double> logits;
  for (size_t i = 0; i < tokens.size(); ++i) logits = step(tokens[i], static_cast<int>(i));
  return logits;
}

}  // namespace tune::bench::testing
