#include "audit/shell_words.h"

#include "util/text.h"

#include <cctype>

namespace tune::audit {

std::string strip_comment(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    else if (c == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1])))) return line.substr(0, i);
  }
  return line;
}

std::vector<Word> shell_words(const std::string& line) {
  std::vector<Word> words;
  std::string current;
  bool in_word = false;
  char quote = 0;
  auto flush = [&] {
    if (in_word) words.push_back({current, false});
    current.clear();
    in_word = false;
  };
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
      else current += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == '$' && i + 1 < line.size() && line[i + 1] == '(') {
      // $(command ...) stays one word, blanks and all.
      int depth = 0;
      for (; i < line.size(); ++i) {
        current += line[i];
        if (line[i] == '(') ++depth;
        else if (line[i] == ')' && --depth == 0) break;
      }
      in_word = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
      continue;
    }
    if (c == '>' || c == '|' || c == ';' || (c == '&' && i + 1 < line.size() && line[i + 1] == '&')) {
      // "2>/dev/null" stays a word of its own: a redirect of stderr, not a target.
      if (c == '>' && in_word && current.size() == 1 && std::isdigit(static_cast<unsigned char>(current[0]))) {
        current += c;
        if (i + 1 < line.size() && line[i + 1] == '>') current += line[++i];
        continue;
      }
      flush();
      std::string op(1, c);
      if (i + 1 < line.size() && (line[i + 1] == c || (c == '>' && line[i + 1] == '>'))) op += line[++i];
      words.push_back({op, true});
      continue;
    }
    current += c;
    in_word = true;
  }
  flush();
  return words;
}

std::string expand_variables(const std::string& text, const std::map<std::string, std::string>& variables, bool glob,
                             bool* unresolved) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i++];
      continue;
    }
    size_t start = i;
    std::string name;
    if (text[i + 1] == '(') {
      // $(command): what it prints is unknowable here.
      int depth = 0;
      size_t j = i + 1;
      for (; j < text.size(); ++j) {
        if (text[j] == '(') ++depth;
        else if (text[j] == ')' && --depth == 0) break;
      }
      i = j < text.size() ? j + 1 : text.size();
      if (unresolved) *unresolved = true;
      out += glob ? "*" : text.substr(start, i - start);
      continue;
    }
    if (text[i + 1] == '{') {
      size_t close = text.find('}', i + 2);
      if (close == std::string::npos) {
        out += text[i++];
        continue;
      }
      name = text.substr(i + 2, close - i - 2);
      i = close + 1;
    } else {
      size_t j = i + 1;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
      if (j == i + 1) {
        out += text[i++];
        continue;
      }
      name = text.substr(i + 1, j - i - 1);
      i = j;
    }
    auto it = variables.find(name);
    if (it != variables.end()) {
      out += it->second;
    } else {
      if (unresolved) *unresolved = true;
      out += glob ? "*" : text.substr(start, i - start);
    }
  }
  return out;
}

std::string unquote(std::string text) {
  text = trim(text);
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) {
    text = text.substr(1, text.size() - 2);
  }
  return text;
}

}  // namespace tune::audit
