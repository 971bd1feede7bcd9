#include "core/journal.h"

#include "util/base64.h"
#include "util/text.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <algorithm>
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
      if (!object["missing_dir"].is_string()) return std::nullopt;  // checked against the file's path on restore
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
    // Whole numbers in range, or the record is damaged.
    for (const char* key : {"mode", "uid", "gid"}) {
      if (!object.contains(key) || !object[key].is_number_unsigned() || object[key].get<uint64_t>() > 0xFFFFFFFFu) {
        return std::nullopt;
      }
    }
    prior.mode = object["mode"].get<uint32_t>();
    prior.uid = object["uid"].get<uint32_t>();
    prior.gid = object["gid"].get<uint32_t>();
    if (prior.mode > 07777) return std::nullopt;
    return prior;
  }
  return std::nullopt;
}

std::string record_line(const json& record) {
  // Values come from files and the kernel; never let odd bytes break a record.
  return record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string transaction_file_name(int id) { return fmt::format("{:06d}.jsonl", id); }

constexpr int kMaxTransactionId = 99999999;

// Only the names tune writes: six to eight digits, as transaction_file_name makes them.
std::optional<int> transaction_id_of(const std::string& file_name) {
  if (!ends_with(file_name, ".jsonl")) return std::nullopt;
  const std::string digits = file_name.substr(0, file_name.size() - 6);
  if (digits.size() < 6 || digits.size() > 8) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  const int id = std::stoi(digits);
  if (id <= 0 || transaction_file_name(id) != file_name) return std::nullopt;
  return id;
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

Status TransactionWriter::undo_failed(const std::string& reason) {
  return append(record_line({{"record", "undo-failed"}, {"at", utc_now_iso8601()}, {"reason", reason}}));
}

namespace {

// Typed reads of a record's fields: a field of the wrong type is damage to
// report with file and line, never an exception out of the JSON library.
std::optional<std::string> text_field(const json& record, const char* key, bool required = false) {
  auto it = record.find(key);
  if (it == record.end()) return required ? std::nullopt : std::optional<std::string>("");
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// Ids and step numbers: whole numbers from 1 to 99999999 (the journal's
// file names hold eight digits).
std::optional<int> number_field(const json& record, const char* key) {
  auto it = record.find(key);
  if (it == record.end() || !it->is_number_integer()) return std::nullopt;
  const auto value = it->get<long long>();
  if (value < 1 || value > 99999999) return std::nullopt;
  return static_cast<int>(value);
}

}  // namespace

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
    auto type = text_field(record, "record", true);
    if (!type) return fail("no record type");
    if (i == 0 && *type != "begin") return fail("the first record is not 'begin'");
    if (*type == "begin") {
      if (i != 0) return fail("a second 'begin' record");
      auto id = number_field(record, "id");
      if (!id) return fail("'begin' has no id from 1 to 99999999");
      txn.id = *id;
      auto kind = text_field(record, "kind", true);
      if (!kind || (*kind != "apply" && *kind != "rollback")) return fail("'begin' has no kind 'apply' or 'rollback'");
      txn.kind = *kind == "apply" ? TransactionKind::Apply : TransactionKind::Rollback;
      auto at = text_field(record, "at");
      auto profile = text_field(record, "profile");
      auto digest = text_field(record, "plan_digest");
      if (!at || !profile || !digest) return fail("'begin' has a field of the wrong type");
      txn.started_at = *at;
      txn.profile = *profile;
      txn.plan_digest = *digest;
      if (record.contains("rolls_back")) {
        auto rolls_back = number_field(record, "rolls_back");
        if (!rolls_back) return fail("'rolls_back' is not a transaction id");
        txn.rolls_back = *rolls_back;
      }
      if (record.contains("origin")) {
        auto origin = text_field(record, "origin");
        if (!origin) return fail("'origin' is not text");
        txn.origin = *origin;
      }
    } else if (*type == "step") {
      JournalStep step;
      auto seq = number_field(record, "seq");
      if (!seq) return fail("'step' has no seq");
      step.seq = *seq;
      auto domain = text_field(record, "domain", true);
      auto target = text_field(record, "target", true);
      if (!domain || !target || domain->empty() || target->empty()) return fail("'step' has no domain or target");
      if (has_control_bytes(*domain, false) || has_control_bytes(*target, false)) return fail("control characters in a step");
      step.domain = *domain;
      step.target = *target;
      auto prior = prior_from_json(record.value("prior", json()));
      if (!prior) return fail("'step' has an unreadable prior state");
      step.prior = std::move(*prior);
      if (record.contains("desired")) {
        if (record["desired"].is_string()) step.desired = record["desired"].get<std::string>();
        else if (!record["desired"].is_null()) return fail("'desired' is neither text nor null");
      }
      if (step_index.count(step.seq)) return fail("a second step " + std::to_string(step.seq));
      step_index[step.seq] = txn.steps.size();
      txn.steps.push_back(std::move(step));
    } else if (*type == "done") {
      auto seq = number_field(record, "seq");
      auto it = seq ? step_index.find(*seq) : step_index.end();
      if (it == step_index.end()) return fail("'done' for a step that was never recorded");
      txn.steps[it->second].done = true;
    } else if (*type == "commit" || *type == "undone" || *type == "undo-failed") {
      auto at = text_field(record, "at");
      auto reason = text_field(record, "reason");
      if (!at || !reason) return fail("'" + *type + "' has a field of the wrong type");
      txn.state = *type == "commit" ? TransactionState::Committed
                  : *type == "undone" ? TransactionState::Undone
                                      : TransactionState::Interrupted;
      txn.finished_at = *at;
      txn.failure = *reason;
    } else {
      return fail("unknown record type '" + *type + "'");
    }
  }
  if (lines.empty()) return make_error("corrupt journal {}: no records", path);
  return txn;
}

Status check_private_path(const System& system, const std::string& path) {
  auto info = system.stat(path);
  if (!info) return info.error();
  if (!info->exists) return {};
  if (info->is_symlink) return make_error("{} is a symbolic link; tune keeps its state only in its own files", path);
  if ((info->mode & 022) != 0) {
    return make_error("{} is writable by others (mode {:o}); tune keeps its state where only its owner writes", path,
                      info->mode);
  }
  if (info->uid != system.effective_uid()) {
    return make_error("{} belongs to uid {}, not to uid {} that runs tune; tune trusts only its own state", path,
                      info->uid, system.effective_uid());
  }
  return {};
}

Result<std::vector<Transaction>> Journal::load_all() const {
  std::vector<Transaction> all;
  TUNE_RETURN_IF_ERROR(check_private_path(system_, directory_));
  auto info = system_.stat(directory_);
  if (!info) return info.error();
  if (!info->exists) return all;
  auto names = system_.list_dir(directory_);
  if (!names) return names.error();
  for (const auto& name : *names) {
    auto id = transaction_id_of(name);
    if (!id) continue;
    const std::string path = directory_ + "/" + name;
    TUNE_RETURN_IF_ERROR(check_private_path(system_, path));
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
                                         int rolls_back, const std::string& origin) {
  TUNE_RETURN_IF_ERROR(system_.make_dirs(directory_, 0700));
  auto names = system_.list_dir(directory_);
  if (!names) return names.error();
  int next = 1;
  for (const auto& name : *names) {
    if (auto id = transaction_id_of(name)) next = std::max(next, *id + 1);
  }
  if (next > kMaxTransactionId) {
    return make_error("{}: the journal has used every transaction id up to {}; move it aside to start a new one",
                      directory_, kMaxTransactionId);
  }
  const std::string path = directory_ + "/" + transaction_file_name(next);
  TransactionWriter writer(system_, path, next);
  json begin = {{"record", "begin"},   {"id", next},          {"kind", kind_name(kind)},
                {"at", utc_now_iso8601()}, {"profile", profile}, {"plan_digest", plan_digest}};
  if (rolls_back) begin["rolls_back"] = rolls_back;
  if (!origin.empty()) begin["origin"] = origin;
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

Change step_as_change(const JournalStep& step, const std::optional<std::string>& before,
                      const std::optional<std::string>& after, const Knob* knob) {
  Change change;
  change.domain = step.domain;
  change.target = step.target;
  change.before = before;
  change.after = after;
  if (knob && knob->is_call(step.target)) change.action = Action::Run;
  else if (knob ? knob->same_at(step.target, before, after) : before == after) change.action = Action::None;
  else if (!before) change.action = Action::Create;
  else if (!after) change.action = Action::Remove;
  else change.action = Action::Modify;
  if (step.prior.kind == PriorState::Kind::File) change.mode = step.prior.mode;
  return change;
}

}  // namespace tune
