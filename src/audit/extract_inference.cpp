// Inference-server settings in pasted advice: Ollama's Modelfile PARAMETER
// lines and API `options`, llama.cpp and vLLM command lines (also as the
// arguments of their container images), vLLM's LLM(...) keyword arguments,
// and container limits (docker run, compose, Kubernetes resources).
//
// Names such as "temperature" or "cpus" are everywhere in code, so each form
// is read only where its context says whose setting it is: a dict counts as
// Ollama options when it is named `options` and holds an Ollama option, or
// when it holds a key only Ollama uses (num_ctx, num_gpu...); a `cpus:` line
// counts under a compose service or deploy.resources.limits; a flag counts
// after a command that names the server.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // std::regex under GCC 12, as in extract.cpp
#endif
#include "audit/audit.h"

#include "audit/shell_words.h"
#include "core/knowledge.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace tune::audit {
namespace {

// Keys no other common client puts in a dict: one of them makes the dict
// Ollama's options, whatever it is called.
const std::set<std::string> kOllamaMarkers = {
    "num_ctx",   "num_gpu",  "num_thread", "num_batch",  "num_keep",    "num_predict", "main_gpu",
    "use_mmap",  "use_mlock", "low_vram",  "f16_kv",     "vocab_only",  "logits_all",  "num_gqa",
    "penalize_newline", "mirostat_tau", "mirostat_eta", "draft_num_predict", "repeat_last_n"};

// Fields of an Ollama request body, not options.
const std::set<std::string> kOllamaRequestFields = {"model",  "prompt", "messages", "stream", "format", "keep_alive",
                                                    "system", "template", "raw",    "images", "context", "think",
                                                    "tools",  "suffix", "options"};

// Flags that name things rather than tune anything (model, address, keys):
// read past with their value, no finding.
const std::set<std::string> kIdentityFlags = {
    "model", "m", "host", "port", "alias", "a", "api-key", "api-key-file", "hf-repo", "hf", "hfr", "hf-file", "hff",
    "hf-token", "prompt", "p", "file", "f", "served-model-name", "tokenizer", "download-dir", "revision", "chat-template",
    "chat-template-file", "log-file", "ssl-keyfile", "ssl-certfile", "ssl-key-file", "ssl-cert-file", "mmproj",
    "lora", "lora-modules", "uvicorn-log-level", "allowed-origins", "config", "system-prompt", "path", "model-url",
    "mu", "log-disable", "verbose", "v", "jinja", "no-jinja", "tool-call-parser", "enable-auto-tool-choice",
    "disable-log-requests", "disable-log-stats", "metrics", "embedding", "embeddings", "name"};

// How a server flag is written and what it means.
struct FlagSpec {
  std::string key;           // the knowledge base key
  enum Kind { Value, Switch, NegatedSwitch, OptionalValue } kind = Value;
};

// llama.cpp's short forms and negations (common/arg.cpp).
const std::map<std::string, FlagSpec> kLlamaFlags = {
    {"t", {"threads"}},
    {"threads", {"threads"}},
    {"tb", {"threads-batch"}},
    {"threads-batch", {"threads-batch"}},
    {"ngl", {"n-gpu-layers"}},
    {"gpu-layers", {"n-gpu-layers"}},
    {"n-gpu-layers", {"n-gpu-layers"}},
    {"c", {"ctx-size"}},
    {"ctx-size", {"ctx-size"}},
    {"b", {"batch-size"}},
    {"batch-size", {"batch-size"}},
    {"ub", {"ubatch-size"}},
    {"ubatch-size", {"ubatch-size"}},
    {"np", {"parallel"}},
    {"parallel", {"parallel"}},
    {"cb", {"cont-batching", FlagSpec::Switch}},
    {"cont-batching", {"cont-batching", FlagSpec::Switch}},
    {"nocb", {"cont-batching", FlagSpec::NegatedSwitch}},
    {"no-cont-batching", {"cont-batching", FlagSpec::NegatedSwitch}},
    {"mlock", {"mlock", FlagSpec::Switch}},
    {"mmap", {"mmap", FlagSpec::Switch}},
    {"no-mmap", {"mmap", FlagSpec::NegatedSwitch}},
    {"numa", {"numa"}},
    {"fa", {"flash-attn", FlagSpec::OptionalValue}},
    {"flash-attn", {"flash-attn", FlagSpec::OptionalValue}},
    {"ctk", {"cache-type-k"}},
    {"cache-type-k", {"cache-type-k"}},
    {"ctv", {"cache-type-v"}},
    {"cache-type-v", {"cache-type-v"}},
    {"mg", {"main-gpu"}},
    {"main-gpu", {"main-gpu"}},
    {"sm", {"split-mode"}},
    {"split-mode", {"split-mode"}},
    {"ts", {"tensor-split"}},
    {"tensor-split", {"tensor-split"}},
    {"n", {"n-predict"}},
    {"predict", {"n-predict"}},
    {"n-predict", {"n-predict"}},
    {"keep", {"keep"}},
    {"memory-f32", {"memory-f32", FlagSpec::Switch}},
};

// vLLM's short forms and switches (vllm/engine/arg_utils.py).
const std::map<std::string, FlagSpec> kVllmFlags = {
    {"tp", {"tensor-parallel-size"}},
    {"pp", {"pipeline-parallel-size"}},
    {"q", {"quantization"}},
    {"enforce-eager", {"enforce-eager", FlagSpec::Switch}},
    {"enable-prefix-caching", {"enable-prefix-caching", FlagSpec::Switch}},
    {"no-enable-prefix-caching", {"enable-prefix-caching", FlagSpec::NegatedSwitch}},
    {"enable-chunked-prefill", {"enable-chunked-prefill", FlagSpec::Switch}},
    {"no-enable-chunked-prefill", {"enable-chunked-prefill", FlagSpec::NegatedSwitch}},
    {"trust-remote-code", {"trust-remote-code", FlagSpec::Switch}},
    {"disable-custom-all-reduce", {"disable-custom-all-reduce", FlagSpec::Switch}},
};

// llama-cpp-python's names (Llama(...) and `python -m llama_cpp.server`)
// for llama.cpp's settings.
const std::map<std::string, std::string> kLlamaPythonNames = {
    {"n_gpu_layers", "n-gpu-layers"}, {"n_ctx", "ctx-size"},       {"n_batch", "batch-size"},
    {"n_ubatch", "ubatch-size"},      {"n_threads", "threads"},     {"n_threads_batch", "threads-batch"},
    {"use_mlock", "mlock"},           {"use_mmap", "mmap"},         {"main_gpu", "main-gpu"},
    {"flash_attn", "flash-attn"}};

// docker run flags that take no value.
const std::set<std::string> kDockerSwitches = {"d",    "detach", "rm",         "i",         "interactive", "t",
                                               "tty",  "it",     "ti",         "dit",       "itd",         "privileged",
                                               "init", "P",      "publish-all", "read-only", "no-healthcheck", "oom-kill-disable"};

bool is_number(const std::string& text) {
  static const std::regex kNumber(R"(^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$)");
  return std::regex_match(text, kNumber);
}


std::string basename_of(const std::string& word) {
  auto slash = word.rfind('/');
  return slash == std::string::npos ? word : word.substr(slash + 1);
}

// A value as code writes it: a literal tune can read, or an expression
// (a variable, config['num_gpu'], an f-string) whose value the text does not give.
struct CodeValue {
  std::string text;
  bool known = true;
  bool none = false;  // Python None / JSON null: not set at all
};

CodeValue code_value(std::string raw) {
  raw = trim(raw);
  while (!raw.empty() && (raw.back() == ',' || raw.back() == ';')) raw = trim(raw.substr(0, raw.size() - 1));
  CodeValue value;
  if (raw == "None" || raw == "null" || raw == "undefined") {
    value.none = true;
    return value;
  }
  if (raw == "True" || raw == "False") {
    value.text = ascii_lower(raw);
    return value;
  }
  if (raw == "true" || raw == "false" || is_number(raw)) {
    value.text = raw;
    return value;
  }
  if (raw.size() >= 2 && (raw.front() == '"' || raw.front() == '\'') && raw.back() == raw.front()) {
    value.text = raw.substr(1, raw.size() - 2);
    value.known = value.text.find('{') == std::string::npos && value.text.find('$') == std::string::npos;
    return value;
  }
  if (raw.size() >= 2 && raw.front() == '[' && raw.back() == ']') {  // a list of stop strings
    value.text = raw;
    return value;
  }
  value.text = raw;
  value.known = false;
  return value;
}

// The line without a `#` or `//` comment outside quotes.
std::string strip_code_comment(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') quote = c;
    else if (c == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1])))) return line.substr(0, i);
    else if (c == '/' && i + 1 < line.size() && line[i + 1] == '/' && (i == 0 || line[i - 1] != ':')) return line.substr(0, i);
  }
  return line;
}

// A dict or object literal being read: its pairs wait until it closes,
// when its keys tell whether it is Ollama's options.
struct DictBlock {
  std::string name;  // the key it is the value of ("options"), if any
  int line = 0;
  struct Pair {
    std::string key;
    CodeValue value;
    int line;
    std::string text;
  };
  std::vector<Pair> pairs;
  std::vector<std::string> keys;  // every key, nested blocks included
};

// One YAML key on the path to the current line.
struct YamlLevel {
  int indent;
  std::string key;
};

class InferenceReader {
 public:
  explicit InferenceReader(std::string source) : source_(std::move(source)) {}

  std::vector<AdviceItem> run(const std::string& text) {
    mentions_vllm_ = text.find("vllm") != std::string::npos;
    mentions_llama_python_ = text.find("llama_cpp") != std::string::npos || text.find("llama-cpp-python") != std::string::npos;
    lines_ = split_lines(text);
    for (size_t i = 0; i < lines_.size(); ++i) {
      line_number_ = static_cast<int>(i) + 1;
      const std::string raw = lines_[i];
      const std::string trimmed = trim(raw);
      if (starts_with(trimmed, "```") || starts_with(trimmed, "~~~") || trimmed == "---") {
        reset_context();
        continue;
      }
      // A call no closing parenthesis ends within a screenful was prose, not code.
      if (call_ != CallKind::None && line_number_ - call_line_ > 60) call_ = CallKind::None;
      if (call_ != CallKind::None) {
        continue_call(raw);
        continue;
      }
      // A command continued with trailing backslashes reads as one line.
      std::string joined = trimmed;
      size_t last = i;
      while (ends_with(joined, "\\") && last + 1 < lines_.size()) {
        joined = trim(joined.substr(0, joined.size() - 1)) + " " + trim(lines_[++last]);
      }
      if (read_command(joined)) {
        i = last;
        continue;
      }
      if (read_parameter(trimmed)) continue;
      if (start_call(raw)) continue;
      read_yaml(raw);
      read_dict(raw);
    }
    finish_dicts();
    std::stable_sort(items_.begin(), items_.end(), [](const AdviceItem& a, const AdviceItem& b) { return a.line < b.line; });
    return std::move(items_);
  }

 private:
  void reset_context() {
    finish_dicts();
    yaml_.clear();
    list_item_name_.reset();
    call_ = CallKind::None;
    pending_dict_name_.clear();
  }

  AdviceItem item(const std::string& form, const std::string& domain, const std::string& key, const CodeValue& value,
                  int line, const std::string& text) const {
    AdviceItem advice;
    advice.source = source_;
    advice.line = line;
    advice.text = trim(text);
    advice.form = form;
    advice.domain = domain;
    advice.key = key;
    advice.value = value.text;
    advice.value_known = value.known;
    return advice;
  }

  // --- Modelfile ---------------------------------------------------------

  bool read_parameter(const std::string& line) {
    static const std::regex kParameter(R"(^PARAMETER\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$)", std::regex::icase);
    // The same in `ollama run`'s prompt, for the session.
    static const std::regex kSetParameter(R"(^(>>>\s*)?/set\s+parameter\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$)");
    std::smatch m;
    std::string form = "Modelfile PARAMETER", name, raw_value;
    if (line.size() < 10 || (line.find("/set") == std::string::npos && (line[0] | 0x20) != 'p')) return false;  // cheap test first
    if (std::regex_match(line, m, kParameter)) {
      name = m[1];
      raw_value = m[2];
    } else if (std::regex_match(line, m, kSetParameter)) {
      form = "ollama /set parameter";
      name = m[2];
      raw_value = m[3];
    } else {
      return false;
    }
    CodeValue value;
    value.text = unquote(raw_value);
    // {config['num_gpu']} in a Python template, $THREADS in a shell heredoc.
    value.known = value.text.find('{') == std::string::npos && value.text.find('$') == std::string::npos;
    items_.push_back(item(form, "ollama", name, value, line_number_, line));
    return true;
  }

  // --- dicts: Ollama API options -----------------------------------------

  void read_dict(const std::string& raw) {
    std::string line = strip_code_comment(raw);
    // curl -d '{"options": {...}}': the JSON is the body, not a shell string to skip.
    for (const std::string& quoted : {std::string("'{"), std::string("}'")}) {
      for (auto at = line.find(quoted); at != std::string::npos; at = line.find(quoted, at + 1)) {
        line[quoted[0] == '\'' ? at : at + 1] = ' ';
      }
    }
    // `"options":` with its `{` on the next line.
    const std::string pending = std::move(pending_dict_name_);
    pending_dict_name_.clear();
    static const std::regex kOpenKey(R"(["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*[:=]\s*$)");
    std::smatch open_key;
    // (std::regex_search scans every start position: test the cheap end first.)
    if (ends_with_key_mark(line) && std::regex_search(line, open_key, kOpenKey)) pending_dict_name_ = open_key[1];
    bool expect_key = true;
    for (size_t i = 0; i < line.size();) {
      char c = line[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      if (c == '{') {
        DictBlock block;
        block.name = key_before(line, i);
        if (block.name.empty() && line.find_first_not_of(" \t") == i) block.name = pending;
        block.line = line_number_;
        if (!dicts_.empty() && !block.name.empty()) dicts_.back().keys.push_back(block.name);
        dicts_.push_back(std::move(block));
        expect_key = true;
        ++i;
        continue;
      }
      if (c == '}') {
        finish_dict();
        expect_key = false;
        ++i;
        continue;
      }
      if (c == ',') {
        expect_key = true;
        ++i;
        continue;
      }
      if (expect_key && !dicts_.empty()) {
        size_t end = read_pair(line, i);
        if (end > i) {
          i = end;
          expect_key = false;
          continue;
        }
      }
      expect_key = false;
      // Strings are passed whole; brackets and parentheses are not, since a
      // call's argument or a list item may be a dict (options={...}).
      i = c == '"' || c == '\'' || c == '`' ? skip_token(line, i) : i + 1;
    }
  }

  // Whether text ends with ':' or '=' (blanks aside): where a key opens a value.
  static bool ends_with_key_mark(const std::string& text) {
    auto last = text.find_last_not_of(" \t\r");
    return last != std::string::npos && (text[last] == ':' || text[last] == '=');
  }

  // The key a '{' is the value of: `"options": {`, `options={`, `options = {`.
  static std::string key_before(const std::string& line, size_t brace) {
    static const std::regex kKey(R"(["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*[:=]\s*$)");
    std::smatch m;
    const std::string before = line.substr(0, brace);
    if (ends_with_key_mark(before) && std::regex_search(before, m, kKey)) return m[1];
    return "";
  }

  // Past a string, a bracketed group or a run of other characters.
  static size_t skip_token(const std::string& line, size_t i) {
    char c = line[i];
    if (c == '"' || c == '\'' || c == '`') {
      for (size_t j = i + 1; j < line.size(); ++j) {
        if (line[j] == '\\') ++j;
        else if (line[j] == c) return j + 1;
      }
      return line.size();
    }
    if (c == '[' || c == '(') {
      char close = c == '[' ? ']' : ')';
      int depth = 0;
      for (size_t j = i; j < line.size(); ++j) {
        if (line[j] == '"' || line[j] == '\'') {
          j = skip_token(line, j) - 1;
          continue;
        }
        if (line[j] == c) ++depth;
        if (line[j] == close && --depth == 0) return j + 1;
      }
      return line.size();
    }
    size_t j = i + 1;
    while (j < line.size() && std::string("{},[(\"'`").find(line[j]) == std::string::npos &&
           !std::isspace(static_cast<unsigned char>(line[j]))) {
      ++j;
    }
    return j;
  }

  // `"key": value` (or `key: value` in JavaScript) at i: records the pair in
  // the innermost dict and returns where it ends; i when there is none.
  size_t read_pair(const std::string& line, size_t i) {
    size_t j = i;
    char quote = 0;
    if (line[j] == '"' || line[j] == '\'') quote = line[j++];
    size_t key_start = j;
    while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_')) ++j;
    if (j == key_start || std::isdigit(static_cast<unsigned char>(line[key_start]))) return i;
    const std::string key = line.substr(key_start, j - key_start);
    if (quote) {
      if (j >= line.size() || line[j] != quote) return i;
      ++j;
    }
    while (j < line.size() && line[j] == ' ') ++j;
    if (j >= line.size() || line[j] != ':') return i;
    ++j;
    while (j < line.size() && std::isspace(static_cast<unsigned char>(line[j]))) ++j;
    if (j >= line.size() || line[j] == '{') return j;  // the value is a nested dict (or on the next line)
    size_t end = j;
    while (end < line.size() && line[end] != ',' && line[end] != '}') end = skip_token(line, end);
    dicts_.back().keys.push_back(key);
    dicts_.back().pairs.push_back({key, code_value(line.substr(j, end - j)), line_number_, lines_[line_number_ - 1]});
    return end;
  }

  void finish_dict() {
    if (dicts_.empty()) return;
    DictBlock block = std::move(dicts_.back());
    dicts_.pop_back();
    const Knowledge& knowledge = Knowledge::builtin();
    bool marked = std::any_of(block.keys.begin(), block.keys.end(), [](const std::string& k) { return kOllamaMarkers.count(k) > 0; });
    bool named_options = block.name == "options" &&
                         std::any_of(block.keys.begin(), block.keys.end(), [&](const std::string& k) {
                           return knowledge.find("ollama", k) != nullptr;
                         });
    if (!marked && !named_options) return;
    for (const auto& pair : block.pairs) {
      if (kOllamaRequestFields.count(pair.key) || pair.value.none) continue;
      items_.push_back(item("Ollama API option", "ollama", pair.key, pair.value, pair.line, pair.text));
    }
  }

  void finish_dicts() {
    // A dict the text never closes is read as far as it goes.
    while (!dicts_.empty()) finish_dict();
  }

  // --- command lines ------------------------------------------------------

  bool read_command(const std::string& line) {
    std::string code = strip_comment(line);
    std::vector<Word> words = shell_words(code);
    // Only the first command of a pipeline or list.
    auto op = std::find_if(words.begin(), words.end(), [](const Word& w) { return w.op; });
    words.erase(op, words.end());
    while (!words.empty() && (words[0].text == "sudo" || words[0].text == "$" || words[0].text == "exec" ||
                              words[0].text == "RUN" || words[0].text == "nohup")) {
      words.erase(words.begin());
    }
    if (words.empty()) return false;
    // ExecStart=/usr/local/bin/llama-server ... in a unit file.
    if (starts_with(words[0].text, "ExecStart=")) words[0].text = words[0].text.substr(10);
    const std::string& first = words[0].text;
    if ((first == "docker" || first == "podman") && words.size() > 1 &&
        (words[1].text == "run" || (words[1].text == "container" && words.size() > 2 && words[2].text == "run"))) {
      read_docker_run(words, words[1].text == "run" ? 2 : 3, code);
      return true;
    }
    // CUDA_VISIBLE_DEVICES=0 vllm serve ...: assignments before the command.
    static const std::regex kAssignment(R"(^[A-Za-z_][A-Za-z0-9_]*=.*$)");
    size_t at = 0;
    while (at < words.size() && words[at].text.find('=') != std::string::npos && std::regex_match(words[at].text, kAssignment)) ++at;
    if (at >= words.size()) return false;
    const std::string& command = words[at].text;
    const std::string base = basename_of(command);
    if (base == "llama-server" || base == "llama-cli" || command == "./server" || command == "./main") {
      read_server_flags(words, at + 1, code, "llama.cpp", base == "llama-cli" || command == "./main" ? "llama-cli flag" : "llama-server flag");
      return true;
    }
    if (command == "vllm" && at + 1 < words.size() && words[at + 1].text == "serve") {
      read_server_flags(words, at + 2, code, "vllm", "vllm flag");
      return true;
    }
    if (starts_with(base, "python") && at + 2 < words.size() && words[at + 1].text == "-m" &&
        starts_with(words[at + 2].text, "vllm.entrypoints")) {
      read_server_flags(words, at + 3, code, "vllm", "vllm flag");
      return true;
    }
    if (starts_with(base, "python") && at + 2 < words.size() && words[at + 1].text == "-m" &&
        words[at + 2].text == "llama_cpp.server") {
      read_llama_python_flags(words, at + 3, code);
      return true;
    }
    return false;
  }

  // docker run's own flags up to the image, then the image's arguments when
  // the image is a server tune knows.
  void read_docker_run(const std::vector<Word>& words, size_t start, const std::string& code) {
    std::string name;
    std::vector<std::pair<std::string, std::string>> limits;  // key, value
    std::vector<std::string> environment;                     // NAME=value
    size_t i = start;
    for (; i < words.size(); ++i) {
      std::string word = words[i].text;
      if (word.empty() || word[0] != '-') break;  // the image
      std::string flag = word.substr(word[1] == '-' ? 2 : 1);
      std::string value;
      auto equals = flag.find('=');
      if (equals != std::string::npos) {
        value = flag.substr(equals + 1);
        flag = flag.substr(0, equals);
      } else if (kDockerSwitches.count(flag) ||
                 (word[1] != '-' && flag.size() > 1 && flag.find_first_not_of("dit") == std::string::npos)) {
        continue;
      } else if (i + 1 < words.size()) {
        value = words[++i].text;
      }
      if (flag == "name") name = value;
      else if (flag == "e" || flag == "env") environment.push_back(value);
      else if (flag == "cpus") limits.emplace_back("cpus", value);
      else if (flag == "m" || flag == "memory") limits.emplace_back("memory", value);
      else if (flag == "memory-swap") limits.emplace_back("memory-swap", value);
      else if (flag == "cpuset-cpus") limits.emplace_back("cpuset", value);
      else if (flag == "shm-size") limits.emplace_back("shm_size", value);
      else if (flag == "ipc") limits.emplace_back("ipc", value);
      else if (flag == "ulimit" && starts_with(value, "memlock=")) {
        limits.emplace_back("ulimit.memlock", split(value.substr(8), ':').front());
      }
    }
    const std::string image = i < words.size() ? words[i].text : "";
    std::string scope = name;
    if (scope.empty()) {
      scope = basename_of(image);
      if (auto colon = scope.find(':'); colon != std::string::npos) scope = scope.substr(0, colon);
    }
    for (const auto& [key, value] : limits) {
      CodeValue v{value, value.find('$') == std::string::npos, false};
      AdviceItem advice = item("docker run", "container", key, v, line_number_, code);
      advice.scope = scope;
      items_.push_back(std::move(advice));
    }
    for (const auto& assignment : environment) {
      auto equals = assignment.find('=');
      if (equals == std::string::npos) continue;
      const std::string variable = assignment.substr(0, equals);
      if (!Knowledge::builtin().find("environment", variable)) continue;  // an application's own variable
      const std::string value = assignment.substr(equals + 1);
      AdviceItem advice = item("docker run -e", "environment", variable, CodeValue{value, value.find('$') == std::string::npos, false},
                               line_number_, code);
      // No scope: for the environment domain a scope names a systemd unit, and a container is not one.
      items_.push_back(std::move(advice));
    }
    if (image.find("vllm") != std::string::npos) {
      read_server_flags(words, i + 1, code, "vllm", "vllm flag");
    } else if (image.find("llama.cpp") != std::string::npos || image.find("llama-cpp") != std::string::npos) {
      read_server_flags(words, i + 1, code, "llama.cpp", "llama-server flag");
    }
  }

  // llama-cpp-python's server takes its Settings as --n_gpu_layers 35: only
  // the names that are llama.cpp's settings are read.
  void read_llama_python_flags(const std::vector<Word>& words, size_t start, const std::string& code) {
    for (size_t i = start; i < words.size(); ++i) {
      const std::string& word = words[i].text;
      if (!starts_with(word, "--")) continue;
      std::string name = word.substr(2), value;
      if (auto equals = name.find('='); equals != std::string::npos) {
        value = name.substr(equals + 1);
        name = name.substr(0, equals);
      } else if (i + 1 < words.size() && (!starts_with(words[i + 1].text, "--"))) {
        value = words[++i].text;
      }
      std::replace(name.begin(), name.end(), '-', '_');
      auto known = kLlamaPythonNames.find(name);
      if (known == kLlamaPythonNames.end()) continue;
      items_.push_back(item("llama-cpp-python flag", "llama.cpp", known->second, CodeValue{value, value.find('$') == std::string::npos, false},
                            line_number_, code));
    }
  }

  // --flag value, --flag=value, -f value, switches; a leading positional
  // word (vllm serve MODEL) is skipped.
  void read_server_flags(const std::vector<Word>& words, size_t start, const std::string& code, const std::string& domain,
                         const std::string& form) {
    const auto& table = domain == "vllm" ? kVllmFlags : kLlamaFlags;
    for (size_t i = start; i < words.size(); ++i) {
      const std::string& word = words[i].text;
      if (word.size() < 2 || word[0] != '-' || is_number(word)) continue;
      std::string flag = word.substr(word[1] == '-' ? 2 : 1);
      std::optional<std::string> inline_value;
      if (auto equals = flag.find('='); equals != std::string::npos) {
        inline_value = flag.substr(equals + 1);
        flag = flag.substr(0, equals);
      }
      auto next_is_value = [&]() {
        return i + 1 < words.size() && (words[i + 1].text.empty() || words[i + 1].text[0] != '-' || is_number(words[i + 1].text));
      };
      FlagSpec spec{flag};
      if (auto known = table.find(flag); known != table.end()) {
        spec = known->second;
      } else if (flag.find('_') != std::string::npos) {
        spec.key = flag;  // vLLM also takes --max_model_len
        std::replace(spec.key.begin(), spec.key.end(), '_', '-');
        if (auto again = table.find(spec.key); again != table.end()) spec = again->second;
      }
      if (word[1] != '-' && table.find(flag) == table.end() && !kIdentityFlags.count(flag)) {
        if (next_is_value()) ++i;  // a short flag tune does not know: its name says nothing
        continue;
      }
      std::string value;
      bool known_switch = spec.kind == FlagSpec::Switch || spec.kind == FlagSpec::NegatedSwitch;
      if (inline_value) {
        value = *inline_value;
      } else if (known_switch) {
        value = spec.kind == FlagSpec::Switch ? "true" : "false";
      } else if (spec.kind == FlagSpec::OptionalValue) {
        static const std::set<std::string> kWords = {"on", "off", "auto", "true", "false", "1", "0", "enabled", "disabled"};
        if (i + 1 < words.size() && kWords.count(words[i + 1].text)) value = words[++i].text;
        else value = "on";
      } else if (next_is_value()) {
        value = words[++i].text;
      } else {
        value = "true";  // a switch tune does not know
      }
      if (kIdentityFlags.count(flag)) continue;
      CodeValue v{value, value.find('$') == std::string::npos && value.find('{') == std::string::npos, false};
      items_.push_back(item(form, domain, spec.key, v, line_number_, code));
    }
  }

  // --- keyword arguments of a client or engine constructor ---------------
  //
  // vLLM's LLM(...) and EngineArgs(...), llama-cpp-python's Llama(...), and
  // LangChain's Ollama(...) / ChatOllama(...): the call's keyword arguments
  // are the server's settings.

  bool start_call(const std::string& raw) {
    static const std::regex kVllm(R"((^|[^A-Za-z0-9_.])(LLM|EngineArgs|AsyncEngineArgs)\s*\()");
    static const std::regex kLlamaPython(R"((^|[^A-Za-z0-9_.])Llama(\.from_pretrained)?\s*\()");
    static const std::regex kLangChain(R"((^|[^A-Za-z0-9_.])(Ollama|ChatOllama|OllamaLLM|OllamaEmbeddings)\s*\()");
    if (raw.find('(') == std::string::npos) return false;  // every form is a call
    const std::string line = strip_code_comment(raw);
    std::smatch m;
    if (mentions_vllm_ && (line.find("LLM") != std::string::npos || line.find("EngineArgs") != std::string::npos) &&
        std::regex_search(line, m, kVllm)) {
      call_ = CallKind::Vllm;
    } else if (mentions_llama_python_ && line.find("Llama") != std::string::npos && std::regex_search(line, m, kLlamaPython)) {
      call_ = CallKind::LlamaPython;
    } else if (line.find("Ollama") != std::string::npos && std::regex_search(line, m, kLangChain)) {
      call_ = CallKind::LangChainOllama;
    }
    if (call_ == CallKind::None) return false;
    call_depth_ = 0;
    call_line_ = line_number_;
    call_argument_.clear();
    read_call_text(line.substr(static_cast<size_t>(m.position(0) + m.length(0)) - 1));
    return true;
  }

  void continue_call(const std::string& raw) { read_call_text(" " + strip_code_comment(raw)); }

  // Splits the call's arguments at top-level commas; each `name=value`
  // becomes an item on the line where it starts.
  void read_call_text(const std::string& text) {
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '"' || c == '\'') {
        size_t end = skip_token(text, i);
        if (call_depth_ >= 1) {
          if (trim(call_argument_).empty()) call_argument_line_ = line_number_;
          call_argument_ += text.substr(i, end - i);
        }
        i = end - 1;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        if (call_depth_++ == 0) continue;
      } else if (c == ')' || c == ']' || c == '}') {
        if (--call_depth_ == 0) {
          finish_call_argument();
          call_ = CallKind::None;
          return;
        }
      } else if (c == ',' && call_depth_ == 1) {
        finish_call_argument();
        continue;
      }
      if (call_depth_ >= 1) {
        if (trim(call_argument_).empty() && !std::isspace(static_cast<unsigned char>(c))) call_argument_line_ = line_number_;
        call_argument_ += c;
      }
    }
  }

  void finish_call_argument() {
    static const std::regex kKeyword(R"(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$)");
    std::smatch m;
    const std::string argument = call_argument_;
    call_argument_.clear();
    if (!std::regex_match(argument, m, kKeyword)) return;
    CodeValue value = code_value(m[2]);
    if (value.none) return;
    const std::string name = m[1];
    const std::string text = lines_[call_argument_line_ - 1];
    if (call_ == CallKind::Vllm) {
      std::string key = name;
      std::replace(key.begin(), key.end(), '_', '-');
      if (kIdentityFlags.count(key)) return;
      items_.push_back(item("vllm LLM() argument", "vllm", key, value, call_argument_line_, text));
    } else if (call_ == CallKind::LlamaPython) {
      // Only the parameters that are llama.cpp's own under another name.
      auto known = kLlamaPythonNames.find(name);
      if (known == kLlamaPythonNames.end()) return;
      items_.push_back(item("llama-cpp-python argument", "llama.cpp", known->second, value, call_argument_line_, text));
    } else if (call_ == CallKind::LangChainOllama) {
      // LangChain passes the Ollama options it knows by their Ollama names.
      const KnowledgeEntry* entry = Knowledge::builtin().find("ollama", name);
      if (!entry || entry->key != name) return;
      items_.push_back(item("LangChain Ollama argument", "ollama", name, value, call_argument_line_, text));
    }
  }

  // --- YAML: compose services and Kubernetes resources --------------------

  void read_yaml(const std::string& raw) {
    static const std::regex kLine(R"(^(\s*)(-\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*:(\s+(.*))?$)");
    const std::string line = strip_code_comment(raw);
    if (trim(line).empty()) return;
    std::smatch m;
    if (line.find(':') == std::string::npos || !std::regex_match(line, m, kLine)) {
      // A line that is not a key ends the levels indented as deep or deeper.
      int indent = static_cast<int>(line.find_first_not_of(" "));
      while (!yaml_.empty() && yaml_.back().indent >= indent) yaml_.pop_back();
      return;
    }
    const int indent = static_cast<int>(m[1].length() + m[2].length());
    const std::string key = m[3];
    const std::string value = trim(m[5].str());
    while (!yaml_.empty() && yaml_.back().indent >= indent) yaml_.pop_back();
    if (list_item_name_ && list_item_name_->indent > indent) list_item_name_.reset();
    if (m[2].length() > 0 && key == "name" && path_ends_with({"containers"})) list_item_name_ = YamlLevel{indent, unquote(value)};
    if (m[2].length() > 0 && key == "name" && path_ends_with({"env"})) {
      env_name_ = YamlLevel{indent, unquote(value)};  // `- name: OMP_NUM_THREADS`, its `value:` follows
      return;
    }
    if (value.empty() || value == "|" || value == ">") {
      yaml_.push_back({indent, key});
      return;
    }
    read_yaml_setting(key, value, raw);
  }

  bool path_ends_with(const std::vector<std::string>& tail) const {
    if (yaml_.size() < tail.size()) return false;
    for (size_t i = 0; i < tail.size(); ++i) {
      if (yaml_[yaml_.size() - tail.size() + i].key != tail[i]) return false;
    }
    return true;
  }

  // The compose service the current line belongs to, if any; with its image
  // when that names an inference server the service name does not
  // ("llm (ollama/ollama)"), so thread settings find their container.
  std::string compose_service() const {
    for (size_t i = 0; i + 1 < yaml_.size(); ++i) {
      if (yaml_[i].key != "services") continue;
      const std::string& service = yaml_[i + 1].key;
      auto image = service_images_.find(service);
      if (image == service_images_.end() || image->second.find(service) != std::string::npos) return service;
      for (const char* server : {"ollama", "llama", "vllm"}) {
        if (image->second.find(server) != std::string::npos) return service + " (" + image->second + ")";
      }
      return service;
    }
    for (size_t i = 1; i < yaml_.size(); ++i) {
      if (yaml_[i].key == "deploy") return yaml_[i - 1].key;
    }
    return "";
  }

  bool in_service_body() const { return yaml_.size() == 2 && yaml_[0].key == "services"; }

  void read_yaml_setting(const std::string& key, const std::string& raw_value, const std::string& raw) {
    CodeValue value{unquote(raw_value), raw_value.find('$') == std::string::npos, false};
    auto add = [&](const std::string& form, const std::string& setting, const std::string& scope) {
      AdviceItem advice = item(form, "container", setting, value, line_number_, raw);
      advice.scope = scope;
      items_.push_back(std::move(advice));
    };
    // A Kubernetes container: its image, the server's arguments, its env list.
    if (list_item_name_ && path_ends_with({"containers"})) {
      const std::string& container = list_item_name_->key;
      if (key == "image") container_images_[container] = value.text;
      if (key == "args" || key == "command") {
        const size_t first = items_.size();
        read_image_command(container_images_[container], raw_value, raw);
        for (size_t i = first; i < items_.size(); ++i) items_[i].scope = container;
      }
      return;
    }
    if (env_name_ && key == "value" && path_ends_with({"env"})) {
      const std::string name = env_name_->key;
      env_name_.reset();
      if (Knowledge::builtin().find("environment", name)) {
        items_.push_back(item("kubernetes env", "environment", name, value, line_number_, raw));
      }
      return;
    }
    if (path_ends_with({"deploy", "resources", "limits"})) {
      if (key == "cpus") add("compose", "cpus", compose_service());
      if (key == "memory") add("compose", "memory", compose_service());
      return;
    }
    if (path_ends_with({"resources", "limits"})) {
      value.text = kubernetes_quantity(value.text);
      if (key == "cpu") add("kubernetes resources", "cpu", list_item_name_ ? list_item_name_->key : "");
      if (key == "memory") add("kubernetes resources", "memory", list_item_name_ ? list_item_name_->key : "");
      return;
    }
    if (in_service_body()) {
      static const std::map<std::string, std::string> kServiceKeys = {
          {"cpus", "cpus"}, {"mem_limit", "memory"}, {"memswap_limit", "memory-swap"},
          {"shm_size", "shm_size"}, {"cpuset", "cpuset"}, {"ipc", "ipc"}};
      if (auto setting = kServiceKeys.find(key); setting != kServiceKeys.end()) add("compose", setting->second, compose_service());
      if (key == "image") service_images_[yaml_[1].key] = value.text;
      if (key == "command") read_compose_command(raw_value, raw);
      return;
    }
    if (path_ends_with({"environment"}) && yaml_.size() == 3 && yaml_[0].key == "services") {
      // `NAME: value` under a service's environment (extract.cpp reads the `- NAME=value` form).
      if (Knowledge::builtin().find("environment", key) && std::isupper(static_cast<unsigned char>(key[0]))) {
        items_.push_back(item("compose environment", "environment", key, value, line_number_, raw));
      }
      return;
    }
    if (path_ends_with({"ulimits"}) && yaml_.size() >= 3 && key == "memlock") {
      add("compose", "ulimit.memlock", compose_service());
    } else if (path_ends_with({"ulimits", "memlock"}) && key == "soft") {
      add("compose", "ulimit.memlock", compose_service());
    }
  }

  // "8Gi" is 8G to tune's size reader; "500m" CPUs stay as written.
  static std::string kubernetes_quantity(std::string value) {
    if (value.size() > 2 && value.back() == 'i' && std::isalpha(static_cast<unsigned char>(value[value.size() - 2]))) {
      value.pop_back();
    }
    return value;
  }

  // `command:` of a compose service (in a service body: services, name).
  void read_compose_command(const std::string& raw_value, const std::string& raw) {
    read_image_command(service_images_[yaml_[1].key], raw_value, raw);
  }

  // The command or arguments of a container whose image is vLLM's or
  // llama.cpp's: a string or an inline list of arguments.
  void read_image_command(const std::string& image, const std::string& raw_value, const std::string& raw) {
    std::string domain = image.find("vllm") != std::string::npos ? "vllm"
                         : image.find("llama.cpp") != std::string::npos || image.find("llama-cpp") != std::string::npos ? "llama.cpp"
                                                                                                                        : "";
    std::string arguments = raw_value;
    if (!arguments.empty() && arguments.front() == '[') {
      arguments = arguments.substr(1, arguments.size() - (arguments.back() == ']' ? 2 : 1));
      std::replace(arguments.begin(), arguments.end(), ',', ' ');
    }
    std::vector<Word> words = shell_words(arguments);
    if (domain.empty()) {
      // The command may name the server itself.
      read_command(arguments);
      return;
    }
    read_server_flags(words, 0, trim(raw), domain, domain == "vllm" ? "vllm flag" : "llama-server flag");
  }

  std::string source_;
  std::vector<std::string> lines_;
  int line_number_ = 0;
  bool mentions_vllm_ = false;
  std::vector<DictBlock> dicts_;
  std::vector<YamlLevel> yaml_;
  std::optional<YamlLevel> list_item_name_;  // `- name: x` of the list item being read (key holds x)
  std::optional<YamlLevel> env_name_;        // `- name: X` of a Kubernetes env list, until its value
  std::map<std::string, std::string> container_images_;  // Kubernetes container -> image
  std::map<std::string, std::string> service_images_;
  bool mentions_llama_python_ = false;
  enum class CallKind { None, Vllm, LlamaPython, LangChainOllama } call_ = CallKind::None;
  int call_depth_ = 0;
  int call_line_ = 0;
  std::string call_argument_;
  int call_argument_line_ = 0;
  std::string pending_dict_name_;  // `"options":` at the end of the previous line
  std::vector<AdviceItem> items_;
};

}  // namespace

std::vector<AdviceItem> extract_inference(const std::string& text, const std::string& source) {
  return InferenceReader(source).run(text);
}

}  // namespace tune::audit
