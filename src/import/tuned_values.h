// TuneD's values (${name} variables, ${f:NAME:ARG...} functions, ${i:...}
// internals, \${ escapes) rewritten as tune values. tune expands variables
// where a value uses them and evaluates the same functions, with the same
// syntax, at plan time against the host's facts; so a value keeps
// `${name}` wherever its variable depends on the host (the converted profile
// defines that variable, and a child profile can override it), and what
// needs no host (a regex_search_ternary over fixed text, which decides
// which kernel parameters a command line has) is worked out here.
#pragma once

#include "import/tuned_profile.h"
#include "util/result.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tune::import {

class TunedValues {
 public:
  TunedValues(const std::vector<TunedOption>& variables, std::string profile_dir);

  // The value as tune writes it; the error says why it cannot be carried
  // over (a program run by ${f:exec}, a function tune does not have).
  Result<std::string> to_tune(const std::string& text);
  // The value's text when it needs nothing from the host (nullopt when it
  // does), for the options the converter must read itself (a latency, a
  // regex).
  Result<std::optional<std::string>> literal(const std::string& text);

  // The variables the given tune values refer to (and the ones those refer
  // to), each with its tune value, in TuneD's order of definition.
  std::vector<std::pair<std::string, std::string>> variables_for(const std::vector<std::string>& values) const;
  bool defined(const std::string& name) const { return raw_.count(name) > 0; }
  // Variables values referred to that nothing defines: TuneD leaves such a
  // reference as it is (check_net_queue_count then counts CPUs); here they
  // are empty variables for the user to give (--set NAME=VALUE).
  const std::vector<std::string>& undefined() const { return undefined_; }

 private:
  struct Piece {
    std::string tune;     // as tune writes it
    std::string literal;  // the text itself, where is_static
    bool is_static = true;
    bool computed = false;  // a function decided it
  };
  Result<Piece> evaluate(const std::string& text, int depth);
  Result<Piece> variable(const std::string& name, int depth);
  Result<Piece> function(const std::string& body, int depth);

  std::map<std::string, std::string> raw_;
  std::map<std::string, Piece> memo_;
  std::vector<std::string> order_;
  std::vector<std::string> undefined_;
  std::string profile_dir_;
};

// The functions tune evaluates at plan time, named as TuneD names them.
const std::set<std::string>& tune_plan_functions();

}  // namespace tune::import
