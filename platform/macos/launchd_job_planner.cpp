#include "platform/macos/launchd_job_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/macos/launchd_job_knob.h"
#include "util/text.h"

#include <fstream>
#include <map>
#include <sstream>

namespace tune::macos_platform {
namespace {

// The text of the first <string> element after `from`, XML entities of
// launchd_plist.cpp's xml_escaped undone.
std::optional<std::string> string_after(const std::string& plist, size_t from) {
  const size_t open = plist.find("<string>", from);
  if (open == std::string::npos) return std::nullopt;
  const size_t start = open + std::string("<string>").size();
  const size_t close = plist.find("</string>", start);
  if (close == std::string::npos) return std::nullopt;
  std::string text = trim(plist.substr(start, close - start));
  for (const auto& [entity, c] : std::map<std::string, std::string>{{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}}) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) text.replace(at, entity.size(), c);
  }
  return text;
}

// Where <key>NAME</key> is, past XML comments (a template's comment may quote keys).
size_t key_position(const std::string& plist, const std::string& name) {
  const std::string key = "<key>" + name + "</key>";
  size_t at = 0;
  for (;;) {
    const size_t found = plist.find(key, at);
    if (found == std::string::npos) return found;
    const size_t comment = plist.rfind("<!--", found);
    const size_t comment_end = comment == std::string::npos ? std::string::npos : plist.find("-->", comment);
    if (comment == std::string::npos || (comment_end != std::string::npos && comment_end < found)) return found;
    at = found + key.size();
  }
}

void skip(Plan& plan, const Setting& setting, const std::string& reason) {
  plan.skipped.push_back({setting.domain, setting.target(), setting.want.describe(), reason, setting_origin(setting)});
}

}  // namespace

Result<std::string> load_plist_template(const std::vector<std::string>& dirs, const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
    return make_error("'{}' is not a template name", name);
  }
  for (const auto& dir : dirs) {
    std::ifstream in(dir + "/macos/" + name + ".plist", std::ios::binary);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  return make_error("no template macos/{}.plist in {}", name,
                    dirs.empty() ? std::string("(no template directory)") : join(dirs, ", "));
}

std::optional<std::string> plist_label(const std::string& plist) {
  const size_t key = key_position(plist, "Label");
  if (key == std::string::npos) return std::nullopt;
  return string_after(plist, key);
}

std::optional<std::string> plist_program(const std::string& plist) {
  const size_t key = key_position(plist, "ProgramArguments");
  if (key == std::string::npos) return std::nullopt;
  return string_after(plist, key);
}

Status LaunchdJobPlanner::plan(const PlanRequest& request, Plan& plan) const {
  static const std::vector<std::string> kNoDirs;
  const std::vector<std::string>& dirs = request.template_dirs ? *request.template_dirs : kNoDirs;
  LaunchdJobKnob knob;
  for (const Setting* setting : request.profile.in_domain("services")) {
    const std::string& label = setting->scope;
    if (setting->key != "template") {
      skip(plan, *setting, "a launchd job's settings live in its plist: on macOS the services domain installs a "
                           "job from a template (`template: NAME`), and sets nothing else");
      continue;
    }
    if (!valid_job_label(label)) {
      skip(plan, *setting, "'" + label + "' is not a launchd label tune installs (reverse-DNS, not com.apple.*)");
      continue;
    }
    const std::string name = setting->want.values.front();
    auto text = load_plist_template(dirs, name);
    if (!text) {
      skip(plan, *setting, text.error().message);
      continue;
    }
    auto template_label = plist_label(*text);
    if (template_label != label) {
      skip(plan, *setting, "template " + name + " is the job " + template_label.value_or("(no Label key)") +
                               ", not " + label + ": launchd names a job by its Label");
      continue;
    }
    if (auto program = plist_program(*text); !program || !request.system.stat(*program).value_or_default().exists) {
      skip(plan, *setting, "not available here: the template runs " + program.value_or("(no ProgramArguments)") +
                               ", which is not installed (install it, or edit the template)");
      continue;
    }
    const std::string path = job_plist_path(label);
    auto loaded = knob.observe(request.system, job_target(label));
    if (!loaded) return loaded.error();
    if (!loaded->supported) {
      skip(plan, *setting, "unsupported here: " + loaded->note);
      continue;
    }
    auto file = plan_file(request.system, path, *text, 0644,
                          setting_origin(*setting) + " (" + label + " from template " + name + ")");
    if (!file) return file.error();
    const bool is_loaded = loaded->value == std::string("loaded");
    if (is_loaded && file->action != Action::None) {
      // A loaded job would not take a new plist without a bootout, and tune
      // does not stop a job it did not start.
      skip(plan, *setting, label + " is already loaded" + (file->before ? " from the plist at " + path : "") +
                               "; tune does not replace a running job (launchctl bootout system/" + label + " first)");
      continue;
    }
    plan.changes.push_back(std::move(*file));
    Change job;
    job.domain = "launchd";
    job.target = job_target(label);
    job.before = loaded->value;
    job.after = "loaded";
    job.action = is_loaded ? Action::None : Action::Modify;
    job.persistence = Persistence::File;
    job.reason = setting_origin(*setting);
    job.note = "launchctl bootstrap system " + path + "; launchd loads it again at every boot";
    plan.changes.push_back(std::move(job));
  }
  return {};
}

}  // namespace tune::macos_platform
