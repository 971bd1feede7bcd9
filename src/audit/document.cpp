// Reading pasted advice into lines with their context.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // std::regex under GCC 12 with sanitizers (see extract.cpp)
#endif
#include "audit/document.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace tune::audit {
namespace {


std::string base_name(const std::string& path) {
  auto slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A plain file's language, from its name.
std::string file_language(const std::string& source) {
  const std::string name = ascii_lower(base_name(source));
  if (name == "dockerfile" || starts_with(name, "dockerfile.") || ends_with(name, ".dockerfile")) return "dockerfile";
  if (name == "modelfile" || ends_with(name, ".modelfile")) return "modelfile";
  if (ends_with(name, ".yaml") || ends_with(name, ".yml")) return "yaml";
  if (ends_with(name, ".service") || ends_with(name, ".socket") || ends_with(name, ".slice")) return "unit";
  if (ends_with(name, ".ps1")) return "powershell";
  if (ends_with(name, ".py")) return "python";
  if (ends_with(name, ".sql")) return "sql";
  if (ends_with(name, ".ini")) return "ini";
  if (name == "nginx.conf") return "nginx";
  if (name == "limits.conf" || source.find("limits.d") != std::string::npos) return "limits";
  if (name == "fstab") return "fstab";
  if (name == "sysctl.conf" || source.find("sysctl.d") != std::string::npos) return "sysctl";
  return "shell";  // scripts, sysctl snippets, environment files: the extractor's own ground
}

}  // namespace

std::string fence_language(const std::string& info) {
  std::string word = ascii_lower(trim(info));
  auto space = word.find_first_of(" \t{");
  if (space != std::string::npos) word = word.substr(0, space);
  if (word.empty() || word == "bash" || word == "sh" || word == "shell" || word == "console" || word == "zsh" ||
      word == "shell-session" || word == "text" || word == "conf" || word == "sysctl") {
    return "shell";
  }
  if (word == "yaml" || word == "yml") return "yaml";
  if (word == "python" || word == "py") return "python";
  if (word == "sql" || word == "postgresql" || word == "psql") return "sql";
  if (word == "nginx") return "nginx";
  if (word == "ini" || word == "toml" || word == "cfg") return "ini";
  if (word == "dockerfile" || word == "docker") return "dockerfile";
  if (word == "powershell" || word == "ps1" || word == "pwsh" || word == "bat" || word == "cmd") return "powershell";
  if (word == "systemd") return "unit";
  if (word == "modelfile") return "modelfile";
  return "other";  // javascript, mermaid, cypher, json...: code or pictures, not host configuration
}

std::string heredoc_language(const std::string& path) {
  for (const char* code : {".py", ".js", ".ts", ".go", ".rb", ".java", ".sql", ".json", ".html", ".md"}) {
    if (ends_with(path, code)) return "other";  // program code or data, not host configuration
  }
  if (path.find("sysctl") != std::string::npos) return "sysctl";
  if (path.find("limits") != std::string::npos && path.find("security") != std::string::npos) return "limits";
  if (ends_with(path, ".service") || path.find(".service.d/") != std::string::npos || ends_with(path, ".slice") ||
      path.find("system.conf") != std::string::npos) {
    return "unit";
  }
  if (ends_with(path, "fstab")) return "fstab";
  if (ends_with(path, ".plist")) return "plist";  // launchd's XML: read by key (lines.cpp, extract_desktop.cpp)
  if (ends_with(path, ".sh") || path.find("/etc/default/") != std::string::npos ||
      path.find("/etc/environment") != std::string::npos || path.find("profile") != std::string::npos ||
      ends_with(path, "rc")) {
    return "shell";
  }
  return "config";
}

std::vector<DocumentLine> read_document(const std::string& text, const std::string& source) {
  static const std::regex kFence(R"(^\s*(```+|~~~+)\s*(.*)$)");
  static const std::regex kHeredoc(R"(<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?)");
  static const std::regex kTarget(R"((>>?|\btee\b(\s+-a|\s+--append)?)\s*['"]?(/[^\s'"<>|;]+|~/[^\s'"<>|;]+))");

  const auto lines = split_lines(text);
  // (The literal test first: std::regex is slow, and this runs on every line.)
  auto is_fence = [](const std::string& line, std::smatch* m) {
    if (line.find("```") == std::string::npos && line.find("~~~") == std::string::npos) return false;
    std::smatch ignored;
    return std::regex_match(line, m ? *m : ignored, kFence);
  };
  const bool markdown = std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return is_fence(line, nullptr); });
  std::vector<DocumentLine> out;
  out.reserve(lines.size());
  std::string fence_marker;  // the opening fence, while inside a block
  std::string language = markdown ? "prose" : file_language(source);
  int block_start = 1;
  std::string heredoc_word, heredoc_target, heredoc_body_language;
  bool heredoc_append = false;
  int heredoc_line = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    DocumentLine line;
    line.number = static_cast<int>(i) + 1;
    line.text = trim(lines[i]);
    std::smatch m;
    if (markdown && heredoc_word.empty() && is_fence(lines[i], &m)) {
      const std::string marker = m[1].str().substr(0, 3);
      if (fence_marker.empty()) {
        fence_marker = marker;
        language = fence_language(m[2]);
        block_start = line.number + 1;
        line.fence = true;
        line.language = language;
        line.block_start = block_start;
        out.push_back(line);
        continue;
      }
      if (marker == fence_marker && trim(m[2].str()).empty()) {
        line.fence = true;
        line.language = language;
        line.block_start = block_start;
        out.push_back(line);
        fence_marker.clear();
        language = "prose";
        continue;
      }
    }
    line.language = language;
    line.block_start = block_start;
    if (!heredoc_word.empty()) {
      line.heredoc_target = heredoc_target;
      line.heredoc_append = heredoc_append;
      line.heredoc_line = heredoc_line;
      if (line.text == heredoc_word) {
        line.heredoc_end = true;
        heredoc_word.clear();
      } else {
        line.language = heredoc_body_language;
      }
      out.push_back(line);
      continue;
    }
    if ((language == "shell" || language == "dockerfile") && line.text.find("<<") != std::string::npos &&
        line.text[0] != '#' && std::regex_search(line.text, m, kHeredoc)) {
      heredoc_word = m[1];
      heredoc_line = line.number;
      std::smatch target;
      heredoc_target.clear();
      heredoc_append = false;
      if (std::regex_search(line.text, target, kTarget)) {
        heredoc_target = target[3];
        heredoc_append = target[1].str() == ">>" || target[2].matched;
      } else if (starts_with(line.text, "COPY ") || starts_with(line.text, "ADD ")) {
        heredoc_target = split_whitespace(line.text).back();  // COPY <<EOF /app/file: the last word
      }
      heredoc_body_language = heredoc_target.empty() ? "config" : heredoc_language(heredoc_target);
    }
    out.push_back(line);
  }
  return out;
}

}  // namespace tune::audit
