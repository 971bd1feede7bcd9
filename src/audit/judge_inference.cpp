// Inference-server settings judged together: what one setting means depends
// on another line of the same text. More threads than the container's CPU
// quota are throttled; --mlock inside a container whose memlock limit the
// text never raises fails; vLLM's tensor-parallel workers need more shared
// memory than a container has by default. Also what the knowledge base
// cannot say as data: a vLLM memory share outside 0 to 1, an Ollama option
// name Ollama does not have.
#include "audit/audit.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>

namespace tune::audit {
namespace {

bool is_inference_domain(const std::string& domain) {
  return domain == "ollama" || domain == "llama.cpp" || domain == "vllm" || domain == "container";
}

std::optional<double> number(const std::string& text) {
  std::string value = trim(text);
  if (value.empty()) return std::nullopt;
  return parse_number(value);
}


// "2", "1.5", "'1.0'", "500m" (Kubernetes millicores) as CPUs.
std::optional<double> cpu_count(const std::string& text) {
  std::string value = trim(text);
  double scale = 1.0;
  if (!value.empty() && value.back() == 'm') {
    value.pop_back();
    scale = 0.001;
  }
  auto cpus = number(value);
  if (!cpus || *cpus <= 0) return std::nullopt;
  return *cpus * scale;
}

std::string format_cpus(double cpus) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", cpus);
  return buffer;
}

// What a thread setting is called where the advice sets it.
std::optional<std::string> thread_setting_name(const AdviceItem& item) {
  if (item.domain == "ollama" && item.key == "num_thread") return "num_thread";
  if (item.domain == "llama.cpp" && (item.key == "threads" || item.key == "threads-batch")) return "--" + item.key;
  if (item.domain == "environment" && item.key == "OMP_NUM_THREADS") return "OMP_NUM_THREADS";
  return std::nullopt;
}

// Whether a container (named, or named after its image) runs the server a
// setting belongs to. "ollama" holds "llama", so llama.cpp's containers are
// the ones named llama that are not Ollama's.
bool container_runs(const std::string& container, const std::string& domain) {
  const std::string name = ascii_lower(container);
  if (domain == "ollama") return name.find("ollama") != std::string::npos;
  if (domain == "llama.cpp") return name.find("llama") != std::string::npos && name.find("ollama") == std::string::npos;
  if (domain == "vllm") return name.find("vllm") != std::string::npos;
  return false;
}

bool is_cpu_limit(const Finding& finding) {
  const AdviceItem& item = finding.item;
  return item.domain == "container" && (item.key == "cpus" || item.key == "cpu") && item.value_known && cpu_count(item.value);
}

// A variable set in a manifest or compose file belongs to the container
// around it: the nearest limit of the same kind of file, a few dozen lines
// at most, stands for it when the text has several containers.
const Finding* nearest_container_limit(const Finding& threads, const std::vector<const Finding*>& limits) {
  const std::string& form = threads.item.form;
  const std::string family = form == "kubernetes env" ? "kubernetes" : form == "compose environment" ? "compose" : "";
  if (family.empty()) return nullptr;
  const Finding* nearest = nullptr;
  for (const Finding* limit : limits) {
    if (!starts_with(limit->item.form, family)) continue;
    const int distance = std::abs(limit->item.line - threads.item.line);
    if (distance <= 40 && (!nearest || distance < std::abs(nearest->item.line - threads.item.line))) nearest = limit;
  }
  return nearest;
}

// The CPU limit that applies to a thread setting: one on the same line (a
// docker run), else the one of the server's own container (named after it).
// A variable such as OMP_NUM_THREADS set for a container (compose
// environment, Dockerfile ENV) takes the text's only container's limit; a
// server's thread count takes it only when that container has no name, since
// a guide often limits other containers (a database, a proxy) and runs the
// server on the host.
const Finding* cpu_limit_for(const Finding& threads, const std::vector<Finding>& findings) {
  std::vector<const Finding*> limits;
  for (const auto& finding : findings) {
    if (is_cpu_limit(finding)) limits.push_back(&finding);
  }
  if (limits.empty()) return nullptr;
  for (const Finding* limit : limits) {
    if (limit->item.line == threads.item.line) return limit;
    // The same named container: a Kubernetes container's args and its limits.
    if (!threads.item.scope.empty() && threads.item.domain != "environment" && limit->item.scope == threads.item.scope) {
      return limit;
    }
  }
  const Finding* own = nullptr;
  for (const Finding* limit : limits) {
    if (container_runs(limit->item.scope, threads.item.domain)) own = limit;
  }
  if (own) return own;
  if (const Finding* nearest = nearest_container_limit(threads, limits)) return nearest;
  const std::string& scope = limits.front()->item.scope;
  bool one_container = std::all_of(limits.begin(), limits.end(), [&](const Finding* l) { return l->item.scope == scope; });
  if (!one_container) return nullptr;
  const std::string& form = threads.item.form;
  bool set_in_container = form == "compose environment" || form == "Dockerfile ENV" || form == "docker run -e" ||
                          form == "kubernetes env";
  if (threads.item.domain == "environment") return set_in_container ? limits.back() : nullptr;
  return scope.empty() ? limits.back() : nullptr;
}

void check_threads_against_quota(Finding& finding, const std::vector<Finding>& findings) {
  auto name = thread_setting_name(finding.item);
  if (!name || finding.verdict != Verdict::Valid || !finding.item.value_known) return;
  auto threads = parse_integer(trim(finding.item.value));
  if (!threads || *threads < 1) return;
  const Finding* limit = cpu_limit_for(finding, findings);
  if (!limit) return;
  const double cpus = *cpu_count(limit->item.value);
  const long long fits = std::max(1LL, static_cast<long long>(std::floor(cpus)));
  if (*threads <= fits) return;
  const std::string container = limit->item.scope.empty() ? "the container" : "the container (" + limit->item.scope + ")";
  finding.verdict = Verdict::Risky;
  finding.message = "Asks for " + std::to_string(*threads) + " threads, but line " + std::to_string(limit->item.line) +
                    " limits " + container + " to " + format_cpus(cpus) +
                    " CPUs: the CFS quota stops the container once it has used that much CPU time in a period, so the "
                    "extra threads wait and every token takes longer. Use " + *name + " = " + std::to_string(fits) +
                    " or raise the limit.";
  // What to write instead: the thread count that fits (a variable tune's
  // profiles can set), not the value just judged risky.
  finding.modern = finding.item.domain == "environment"
                       ? "environment " + finding.item.key + " = " + std::to_string(fits)
                       : "";
}

// Whether a server setting runs in a container: its own line starts one, it
// is part of a compose file or manifest, or the text has a container for
// that server (or one it does not name). A guide that limits a database's
// container and runs the server on the host has none.
bool runs_in_container(const Finding& finding, const std::vector<Finding>& findings) {
  const std::string& text = finding.item.text;
  const std::string& form = finding.item.form;
  if (form == "docker run" || form == "compose" || starts_with(form, "kubernetes") || text.find("docker run") != std::string::npos ||
      text.find("podman run") != std::string::npos) {
    return true;
  }
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
    return f.item.domain == "container" && (f.item.scope.empty() || container_runs(f.item.scope, finding.item.domain));
  });
}

void check_mlock_in_container(Finding& finding, const std::vector<Finding>& findings) {
  const AdviceItem& item = finding.item;
  if (item.domain != "llama.cpp" || item.key != "mlock" || item.value != "true" || finding.verdict != Verdict::Valid) return;
  if (!runs_in_container(finding, findings)) return;
  bool raised = std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    const AdviceItem& other = f.item;
    return (other.domain == "container" && other.key == "ulimit.memlock") ||
           (other.domain == "limits" && starts_with(other.key, "memlock")) ||
           (other.domain == "services" && other.key == "LimitMEMLOCK");
  });
  if (raised) return;
  finding.verdict = Verdict::Risky;
  finding.message =
      "--mlock locks the whole model in RAM, but this text runs it in a container and never raises the container's "
      "memlock limit (the kernel's default is 64 KiB, 8 MiB since Linux 5.16), so llama.cpp warns that mlock failed "
      "and runs unlocked. Add --ulimit memlock=-1:-1 (compose: ulimits: memlock: -1) or drop --mlock.";
}

void check_tensor_parallel_shm(Finding& finding, const std::vector<Finding>& findings) {
  const AdviceItem& item = finding.item;
  if (item.domain != "vllm" || item.key != "tensor-parallel-size" || finding.verdict != Verdict::Valid || !item.value_known) return;
  auto size = parse_integer(trim(item.value));
  if (!size || *size <= 1 || !runs_in_container(finding, findings)) return;
  bool shared = std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    const AdviceItem& other = f.item;
    return other.domain == "container" && (other.key == "shm_size" || (other.key == "ipc" && other.value == "host"));
  });
  if (shared) return;
  finding.verdict = Verdict::Risky;
  finding.message = "Tensor parallelism over " + std::to_string(*size) +
                    " GPUs runs one worker per GPU, and PyTorch passes data between them through /dev/shm, which a "
                    "container gets only 64 MB of unless told otherwise; vLLM's Docker guide asks for --ipc=host or a "
                    "larger --shm-size. Add one of them (compose: ipc: host or shm_size).";
}

// A share of the GPU's memory: the knowledge base names the risky values
// people write; any number outside 0 to 1 is out of range, any above 0.95 risky.
void check_memory_share(Finding& finding) {
  const AdviceItem& item = finding.item;
  if (item.domain != "vllm" || item.key != "gpu-memory-utilization" || !item.value_known) return;
  auto share = number(item.value);
  if (!share) return;
  if (*share <= 0 || *share > 1) {
    finding.verdict = Verdict::OutOfRange;
    finding.message = "gpu-memory-utilization is a share of each GPU's memory from 0 to 1 (0.9 means 90%), not " +
                      item.value + ".";
    return;
  }
  if (*share > 0.95 && finding.verdict == Verdict::Valid && finding.entry) {
    for (const auto& advice : finding.entry->advice) {
      if (advice.verdict == Verdict::Risky) {
        finding.verdict = Verdict::Risky;
        finding.message = advice.say;
        break;
      }
    }
  }
}

// Ollama reads only the option names it knows: the API drops others with a
// warning, `ollama create` refuses them (api.FormatParams).
void check_unknown_ollama_option(Finding& finding) {
  if (finding.item.domain != "ollama" || finding.entry || finding.verdict != Verdict::NotJudged) return;
  const std::string hint = finding.message.find("did you mean") != std::string::npos
                               ? finding.message.substr(finding.message.find("(did you mean"))
                               : "";
  finding.verdict = Verdict::Nonexistent;
  finding.rule.clear();
  finding.message = "Ollama has no option " + finding.item.key +
                    ": the API drops it with a warning (\"invalid option provided\") and `ollama create` stops at it "
                    "(\"unknown parameter\")." + (hint.empty() ? "" : " " + hint);
}

// Two Ollama requests, two Modelfiles or two server commands in one guide are
// alternatives, not one setting given twice; repeated stop sequences are how
// a Modelfile lists several.
void drop_contradiction_note(Finding& finding) {
  if (finding.item.domain == "container") return;
  auto note = finding.message.find("Contradicts line ");
  if (note == std::string::npos) return;
  auto end = finding.message.find("whichever runs last wins.", note);
  end = end == std::string::npos ? finding.message.size() : end + std::string("whichever runs last wins.").size();
  finding.message.erase(note, end - note);
  finding.message = trim(finding.message);
}

}  // namespace

void judge_inference_context(std::vector<Finding>& findings) {
  for (auto& finding : findings) {
    if (finding.kind != FindingKind::Setting) continue;
    if (is_inference_domain(finding.item.domain)) {
      drop_contradiction_note(finding);
      check_unknown_ollama_option(finding);
      check_memory_share(finding);
      // tune's profiles do not write these settings; only a replacement
      // names something to write instead.
      if (!finding.entry || finding.entry->replacement.empty()) finding.modern.clear();
    }
  }
  for (auto& finding : findings) {
    if (finding.kind != FindingKind::Setting) continue;
    check_threads_against_quota(finding, findings);
    check_mlock_in_container(finding, findings);
    check_tensor_parallel_shm(finding, findings);
  }
}

}  // namespace tune::audit
