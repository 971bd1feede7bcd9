// knowledge_pack OUTPUT.json FILE.yaml...: check the knowledge files (every
// error is the build's error, with file:line) and write them packed as JSON
// for tune to embed.
#include "core/knowledge.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: knowledge_pack OUTPUT.json FILE.yaml...\n");
    return 64;
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "knowledge_pack: cannot read %s\n", argv[i]);
      return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    files.emplace_back(std::filesystem::path(argv[i]).filename().string(), text.str());
  }
  auto knowledge = tune::Knowledge::parse(files);
  if (!knowledge) {
    std::fprintf(stderr, "knowledge_pack: %s\n", knowledge.error().message.c_str());
    return 1;
  }
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << knowledge->pack();
  if (!out) {
    std::fprintf(stderr, "knowledge_pack: cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
