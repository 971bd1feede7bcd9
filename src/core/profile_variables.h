// Variables: `variables:` in a profile and ${name} in its values, resolved
// over the whole lineage (a child's variable overrides its parents', so a
// parent's values can be tuned by its children).
#pragma once

#include "core/knowledge.h"
#include "core/profile.h"

#include <map>

namespace tune {

// Replace ${name} with the variable's value (recursively), leave ${facts.X}
// and ${f:...} (with the variables in its arguments filled) for planning, and turn $${ into a literal ${. Errors name `where`.
Result<std::string> substitute(const std::string& text, const std::map<std::string, Variable>& variables,
                               const Origin& where);

// Substitute into every setting of a resolved profile (and its fallbacks),
// then check the values that changed against the knowledge base.
Status substitute_variables(Profile& resolved);

// The knowledge base entry that describes a setting, if any.
const KnowledgeEntry* knowledge_for(const Setting& setting);

// Check a setting's want against its entry: the error with the value's position.
Status check_setting(const Setting& setting, std::vector<std::string>* warnings);

}  // namespace tune
