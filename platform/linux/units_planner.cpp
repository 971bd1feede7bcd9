#include "platform/linux/units_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/linux/systemd_knob.h"
#include "platform/linux/unit_dropin.h"
#include "platform/linux/unit_files.h"
#include "platform/linux/unit_settings_knob.h"
#include "platform/linux/unit_templates.h"
#include "util/text.h"

#include <map>

namespace tune::linux_platform {
namespace {

// tune's own options in a unit's section, not directives of the unit.
bool is_option(const std::string& key) { return key == "template" || key == "restart"; }

struct UnitRequest {
  std::string unit;
  std::vector<const Setting*> settings;  // in profile order
  const Setting* find(const std::string& domain, const std::string& key) const {
    for (const Setting* setting : settings) {
      if (setting->domain == domain && setting->key == key) return setting;
    }
    return nullptr;
  }
};

void skip(Plan& plan, const Setting& setting, const std::string& reason) {
  plan.skipped.push_back({setting.domain, setting.target(), setting.want.describe(), reason, setting_origin(setting)});
}

// Everything planned for one unit, in the order it is applied.
struct UnitPlan {
  std::vector<Change> views;   // derived: what the unit runs with (read before the files change)
  std::vector<Change> files;   // the unit from a template, its drop-in
  std::vector<Change> states;  // enablement and activity of a unit tune installs
  bool changed = false;        // a file changes: systemd must reload
  bool restart = false;        // and this unit restart
};

class UnitsPlanning {
 public:
  UnitsPlanning(const PlanRequest& request, Plan& plan) : request_(request), plan_(plan) {}

  Status run() {
    std::map<std::string, UnitRequest> units;
    std::vector<std::string> order;
    for (const auto& setting : request_.profile.settings) {
      if (setting.domain != "services" && setting.domain != "environment") continue;
      if (!units.count(setting.scope)) order.push_back(setting.scope);
      units[setting.scope].unit = setting.scope;
      units[setting.scope].settings.push_back(&setting);
    }
    if (order.empty()) return {};
    std::vector<UnitPlan> planned;
    for (const auto& unit : order) {
      UnitPlan one;
      TUNE_RETURN_IF_ERROR(plan_unit(units[unit], one));
      planned.push_back(std::move(one));
    }
    // Views first: a derived change reads its "before" when the engine reaches it.
    for (auto& one : planned) {
      for (auto& change : one.views) plan_.changes.push_back(std::move(change));
    }
    bool reload = false;
    for (auto& one : planned) {
      for (auto& change : one.files) plan_.changes.push_back(std::move(change));
      reload = reload || one.changed;
    }
    if (!reload) return {};
    ServiceManager& services = request_.system.services();
    if (!services.running()) {
      plan_.warnings.push_back("systemd is not running here (" + services.describe() +
                               "): the unit files are written, and systemd reads them when it next starts");
      return {};
    }
    plan_.changes.push_back(call(kDaemonReload, "systemd loads the changed unit files"));
    for (size_t i = 0; i < planned.size(); ++i) {
      for (auto& change : planned[i].states) plan_.changes.push_back(std::move(change));
      if (planned[i].restart) {
        plan_.changes.push_back(call(restart_target(units[order[i]].unit), "so it runs with its new settings"));
      }
    }
    return {};
  }

 private:
  Change call(const std::string& target, const std::string& note) const {
    return systemctl_call(target, request_.profile.name, note);
  }

  Status plan_unit(const UnitRequest& request, UnitPlan& out) {
    const std::string& unit = request.unit;
    auto skip_all = [&](const std::string& reason) {
      for (const Setting* setting : request.settings) skip(plan_, *setting, reason);
      return Status{};
    };
    if (!valid_unit_name(unit)) return skip_all("'" + unit + "' is not a systemd unit (a launchd label is macOS's)");
    UnitFiles files = find_unit_files(request_.system, unit);
    if (files.masked) return skip_all("not available here: " + unit + " is masked");
    const Setting* from_template = request.find("services", "template");
    std::string unit_text;  // a unit tune installs
    if (files.fragment.empty()) {
      if (!from_template) {
        return skip_all("not available here: no unit " + unit + " on this host (install it, or give the profile "
                        "`template:` to install one)");
      }
      static const std::vector<std::string> kNoDirs;
      auto text = load_unit_template(request_.template_dirs ? *request_.template_dirs : kNoDirs,
                                     from_template->want.values.front());
      if (!text) return skip_all(text.error().message);
      auto rendered = render_unit_template(*text, template_fields(request_.facts, request_.profile.name));
      if (!rendered) return skip_all("template " + from_template->want.values.front() + ": " + rendered.error().message);
      const std::string program = exec_program(*rendered);
      if (!program.empty() && !request_.system.stat(program).value_or_default().exists) {
        return skip_all("not available here: the template runs " + program + ", which is not installed");
      }
      unit_text = *rendered;
    } else if (from_template) {
      skip(plan_, *from_template, unit + " is already here (" + files.fragment +
                                      "); the template is not installed over it");
    }

    // The drop-in, and what the unit will run with.
    std::vector<std::pair<std::string, std::string>> directives;
    std::vector<std::pair<std::string, std::string>> environment;
    ServiceSettings now = effective_service(request_.system, files);
    std::string restart = request_.restart;
    if (const Setting* policy = request.find("services", "restart")) restart = policy->want.values.front();
    for (const Setting* setting : request.settings) {
      if (setting->domain == "services" && is_option(setting->key)) continue;
      const bool is_env = setting->domain == "environment";
      const auto& current_values = is_env ? now.environment : now.directives;
      auto current = current_values.find(setting->key);
      std::optional<std::string> before;
      if (current != current_values.end()) before = current->second;
      std::string wanted = before && setting->want.satisfied_by(*before) ? *before : setting->want.target_for(before.value_or(""));
      (is_env ? environment : directives).emplace_back(setting->key, wanted);
      Change view;
      view.domain = setting->domain;
      view.target = unit + "/" + setting->key;
      view.before = unit_text.empty() ? before : std::nullopt;
      view.after = wanted;
      view.action = view.before == view.after ? Action::None : view.before ? Action::Modify : Action::Create;
      view.persistence = Persistence::File;
      view.reason = setting_origin(*setting);
      view.note = "what " + unit + " runs with";
      out.views.push_back(std::move(view));
    }
    if (!unit_text.empty()) {
      auto file = plan_file(request_.system, std::string(kUnitDir) + "/" + unit, unit_text, 0644,
                            request_.profile.name + " (" + unit + " from template " +
                                from_template->want.values.front() + ")");
      if (!file) return file.error();
      out.changed = out.changed || file->action != Action::None;
      out.files.push_back(std::move(*file));
      for (const auto& [state, value] : {std::pair<std::string, std::string>{"enabled", "enabled"}, {"active", "active"}}) {
        Change change;
        change.domain = "systemd";
        change.target = unit + "/" + state;
        change.before = state == "enabled" ? "disabled" : "inactive";
        change.after = value;
        change.action = Action::Modify;
        change.persistence = Persistence::Runtime;
        change.reason = setting_origin(*from_template);
        change.note = "a unit tune installs";
        out.states.push_back(std::move(change));
      }
    }
    if (directives.empty() && environment.empty()) return {};
    auto dropin = plan_file(request_.system, dropin_path(unit), dropin_text(request_.profile.name, unit, directives, environment),
                            0644, request_.profile.name + " (settings of " + unit + ")");
    if (!dropin) return dropin.error();
    if (dropin->action != Action::None) {
      out.changed = true;
      auto status = request_.system.services().running() ? request_.system.services().status(unit) : Result<UnitStatus>(UnitStatus{});
      const bool active = status && status->active_state == "active";
      if (restart == "on-change" && active && unit_text.empty()) {
        out.restart = true;
      } else if (unit_text.empty()) {
        dropin->note = active ? "takes effect at the next restart of " + unit : "takes effect when " + unit + " next starts";
      }
    }
    out.files.push_back(std::move(*dropin));
    return {};
  }

  const PlanRequest& request_;
  Plan& plan_;
};

}  // namespace

Status UnitsPlanner::plan(const PlanRequest& request, Plan& plan) const { return UnitsPlanning(request, plan).run(); }

}  // namespace tune::linux_platform
