#include "core/journal.h"

#include "util/base64.h"
#include "util/text.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <map>

namespace tune {

using nlohmann::json;

const char* transaction_state_name(TransactionState state) {
  switch (state) {
    case TransactionState::Interrupted: return "interrupted";
    case TransactionState::Committed: return "committed";
    case TransactionState::Undone: return "undone";
  }
  return "interrupted";
}

std::string utc_now_iso8601() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

namespace {

const char* kind_name(TransactionKind kind) { return kind == TransactionKind::Apply ? "apply" : "rollback"; }

json prior_to_json(const PriorState& prior) {
  switch (prior.kind) {
    case PriorState::Kind::Value: return {{"kind", "value"}, {"value", prior.value}};
    case PriorState::Kind::File:
      return {{"kind", "file"}, {"bytes_b64", base64_encode(prior.value)}, {"mode", prior.mode}, {"uid", prior.uid},
              {"gid", prior.gid}};
    case PriorState::Kind::Absent:
      if (!prior.missing_dir.empty()) return {{"kind", "absent"}, {"missing_dir", prior.missing_dir}};
      return {{"kind", "absent"}};
  }
  return {{"kind", "absent"}};
}

std::optional<PriorState> prior_from_json(const json& object) {
  if (!object.is_object() || !object.contains("kind") || !object["kind"].is_string()) return std::nullopt;
  const std::string kind = object["kind"];
  if (kind == "absent") {
    PriorState prior = PriorState::absent();
    if (object.contains("missing_dir")) {
      if (!object["missing_dir"].is_string()) return std::nullopt;
      prior.missing_dir = object["missing_dir"].get<std::string>();
    }
    return prior;
  }
  if (kind == "value") {
    if (!object.contains("value") || !object["value"].is_string()) return std::nullopt;
    return PriorState::of_value(object["value"]);
  }
  if (kind == "file") {
    if (!object.contains("bytes_b64") || !object["bytes_b64"].is_string()) return std::nullopt;
    auto bytes = base64_decode(object["bytes_b64"].get<std::string>());
    if (!bytes) return std::nullopt;
    PriorState prior;
    prior.kind = PriorState::Kind::File;
    prior.value = std::move(*bytes);
    prior.mode = object.value("mode", 0644u);
    prior.uid = object.value("uid", 0u);
    prior.gid = object.value("gid", 0u);
    return prior;
  }
  return std::nullopt;
}

std::string record_line(const json& record) {
  // Values come from files and the kernel; never let odd bytes break a record.
  return record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string transaction_file_name(int id) { return fmt::format("{:06d}.jsonl", id); }

std::optional<int> transaction_id_of(const std::string& file_name) {
  if (!ends_with(file_name, ".jsonl")) return std::nullopt;
  auto id = parse_integer(file_name.substr(0, file_name.size() - 6));
  if (!id || *id <= 0 || *id > 99999999) return std::nullopt;
  return static_cast<int>(*id);
}

}  // namespace

Status TransactionWriter::append(const std::string& line) { return system_.append_durable(path_, line); }

Status TransactionWriter::step(const JournalStep& step) {
  json desired = step.desired ? json(*step.desired) : json(nullptr);
  return append(record_line({{"record", "step"},
                             {"seq", step.seq},
                             {"domain", step.domain},
                             {"target", step.target},
                             {"prior", prior_to_json(step.prior)},
                             {"desired", desired}}));
}

Status TransactionWriter::done(int seq) { return append(record_line({{"record", "done"}, {"seq", seq}})); }

Status TransactionWriter::commit() { return append(record_line({{"record", "commit"}, {"at", utc_now_iso8601()}})); }

Status TransactionWriter::undone(const std::string& reason) {
  return append(record_line({{"record", "undone"}, {"at", utc_now_iso8601()}, {"reason", reason}}));
}

Result<Transaction> parse_transaction(const std::string& text, const std::string& path) {
  Transaction txn;
  txn.path = path;
  std::vector<std::string> lines = split(text, '\n');
  // The text after the last newline is either empty or a record cut short by a crash.
  lines.pop_back();
  std::map<int, size_t> step_index;
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t line_number = i + 1;
    auto fail = [&](const std::string& what) -> Error {
      return make_error("corrupt journal {}:{}: {}", path, line_number, what);
    };
    json record = json::parse(lines[i], nullptr, false);
    if (record.is_discarded() || !record.is_object()) return fail("not a JSON record");
    const std::string type = record.value("record", "");
    if (i == 0 && type != "begin") return fail("the first record is not 'begin'");
    if (type == "begin") {
      if (i != 0) return fail("a second 'begin' record");
      if (!record.contains("id") || !record["id"].is_number_integer()) return fail("'begin' has no id");
      txn.id = record["id"];
      const std::string kind = record.value("kind", "");
      if (kind != "apply" && kind != "rollback") return fail("unknown transaction kind '" + kind + "'");
      txn.kind = kind == "apply" ? TransactionKind::Apply : TransactionKind::Rollback;
      txn.started_at = record.value("at", "");
      txn.profile = record.value("profile", "");
      txn.plan_digest = record.value("plan_digest", "");
      txn.rolls_back = record.value("rolls_back", 0);
    } else if (type == "step") {
      JournalStep step;
      if (!record.contains("seq") || !record["seq"].is_number_integer()) return fail("'step' has no seq");
      step.seq = record["seq"];
      step.domain = record.value("domain", "");
      step.target = record.value("target", "");
      if (step.domain.empty() || step.target.empty()) return fail("'step' has no domain or target");
      auto prior = prior_from_json(record.value("prior", json()));
      if (!prior) return fail("'step' has an unreadable prior state");
      step.prior = std::move(*prior);
      if (record.contains("desired") && record["desired"].is_string()) step.desired = record["desired"].get<std::string>();
      step_index[step.seq] = txn.steps.size();
      txn.steps.push_back(std::move(step));
    } else if (type == "done") {
      auto it = step_index.find(record.value("seq", -1));
      if (it == step_index.end()) return fail("'done' for a step that was never recorded");
      txn.steps[it->second].done = true;
    } else if (type == "commit") {
      txn.state = TransactionState::Committed;
      txn.finished_at = record.value("at", "");
    } else if (type == "undone") {
      txn.state = TransactionState::Undone;
      txn.finished_at = record.value("at", "");
      txn.failure = record.value("reason", "");
    } else {
      return fail("unknown record type '" + type + "'");
    }
  }
  if (lines.empty()) return make_error("corrupt journal {}: no records", path);
  return txn;
}

Result<std::vector<Transaction>> Journal::load_all() const {
  std::vector<Transaction> all;
  auto info = system_.stat(directory_);
  if (!info) return info.error();
  if (!info->exists) return all;
  auto names = system_.list_dir(directory_);
  if (!names) return names.error();
  for (const auto& name : *names) {
    auto id = transaction_id_of(name);
    if (!id) continue;
    const std::string path = directory_ + "/" + name;
    auto text = system_.read_file(path);
    if (!text) return text.error();
    // Killed while writing its first record: nothing ran under this id.
    if (text->find('\n') == std::string::npos) continue;
    auto txn = parse_transaction(*text, path);
    if (!txn) return txn.error();
    if (txn->id != *id) return make_error("corrupt journal {}: it names transaction {}", path, txn->id);
    all.push_back(std::move(*txn));
  }
  std::map<int, Transaction*> by_id;
  for (auto& txn : all) by_id[txn.id] = &txn;
  for (const auto& txn : all) {
    if (txn.kind != TransactionKind::Rollback || txn.state != TransactionState::Committed) continue;
    auto target = by_id.find(txn.rolls_back);
    if (target != by_id.end()) target->second->rolled_back_by = txn.id;
  }
  return all;
}

Result<TransactionWriter> Journal::begin(TransactionKind kind, const std::string& profile, const std::string& plan_digest,
                                         int rolls_back) {
  TUNE_RETURN_IF_ERROR(system_.make_dirs(directory_, 0700));
  auto names = system_.list_dir(directory_);
  if (!names) return names.error();
  int next = 1;
  for (const auto& name : *names) {
    if (auto id = transaction_id_of(name)) next = std::max(next, *id + 1);
  }
  const std::string path = directory_ + "/" + transaction_file_name(next);
  TransactionWriter writer(system_, path, next);
  json begin = {{"record", "begin"},   {"id", next},          {"kind", kind_name(kind)},
                {"at", utc_now_iso8601()}, {"profile", profile}, {"plan_digest", plan_digest}};
  if (rolls_back) begin["rolls_back"] = rolls_back;
  TUNE_RETURN_IF_ERROR(system_.append_durable(path, record_line(begin)));
  return writer;
}

std::vector<const Transaction*> active_transactions(const std::vector<Transaction>& all) {
  std::vector<const Transaction*> active;
  for (const auto& txn : all) {
    if (txn.kind != TransactionKind::Apply || txn.rolled_back_by != 0) continue;
    if (txn.state == TransactionState::Committed || txn.state == TransactionState::Interrupted) active.push_back(&txn);
  }
  return active;
}

}  // namespace tune
