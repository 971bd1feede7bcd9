#include "core/yaml_guard.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

namespace tune {
namespace {

// Listens to the parser without building anything: all that is wanted from
// it is where each document starts.
class DocumentCounter : public YAML::EventHandler {
 public:
  YAML::Mark start;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

FirstYamlDocument load_first_yaml_document(const std::string& text) {
  FirstYamlDocument first;
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentCounter counter;
  // Two calls at most: on some malformed input (a lone ",") yaml-cpp's parser
  // reports an empty document at every call without moving on, and LoadAll
  // never ends. A second document that starts where the first did is that.
  if (!parser.HandleNextDocument(counter)) return first;
  const YAML::Mark first_start = counter.start;
  if (parser.HandleNextDocument(counter)) {
    if (counter.start.pos == first_start.pos) throw YAML::ParserException(counter.start, "unexpected character");
    first.has_more = true;
  }
  first.root = YAML::Load(text);
  return first;
}

}  // namespace tune
