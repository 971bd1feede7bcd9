#include "platform/linux/limits_planner.h"

#include "core/declare_or_return.h"
#include "core/file_knob.h"
#include "core/knowledge.h"
#include "core/profile_host.h"
#include "platform/linux/limits_files.h"
#include "platform/linux/limits_target.h"
#include "platform/linux/limits_view.h"
#include "util/text.h"

#include <algorithm>
#include <array>

namespace tune::linux_platform {
namespace {

constexpr const char* kLoginNote = "what a new login session gets";
constexpr const char* kManagerNote = "services started after the next boot or `systemctl daemon-reexec`";

// One part, soft or hard, of a limit as the profile asks for it.
struct Part {
  const Setting* setting = nullptr;  // null: the profile leaves this part alone
  Want want;                         // in pam's units; "unlimited" where the profile wrote "infinity"
  Rlim login;                        // what limits.d will say
  Rlim manager;                      // what system.conf.d will say ("*" only)
};

// Everything the profile asks of one item and limit.
struct Group {
  std::string item;
  const LimitInfo* limit = nullptr;
  std::array<Part, 2> parts;  // soft, hard
  std::vector<const Setting*> settings;
  LoginSubject subject;
  LoginLimit before;
  ManagerLimit manager_before;
  bool manager_line = false;  // the system.conf.d file carries it
  RlimPair after;             // both views with tune's files in place
  RlimPair manager_after;

  // Only "*" is every login, so only "*" says what services should get.
  bool has_manager() const { return item == "*" && !limit->directive.empty(); }
};

const Rlim& part_of(const RlimPair& pair, size_t i) { return i == 0 ? pair.soft : pair.hard; }
Rlim& part_of(RlimPair& pair, size_t i) { return i == 0 ? pair.soft : pair.hard; }

std::string file_of(const std::string& where) { return where.substr(0, where.find_last_of(':')); }

Want normalized(Want want) {
  for (auto& value : want.values) {
    value = trim(value);
    if (value == "infinity") value = "unlimited";
  }
  return want;
}

// The value to write for one part: the live one where it already gives what
// is asked (as the sysctl planner persists it), else what the want moves it to.
std::optional<Rlim> value_for(const LimitInfo& limit, const Want& want, const Rlim& live) {
  const std::string current = pam_text(limit, live);
  auto value = parse_pam_text(limit, want.satisfied_by(current) ? current : want.target_for(current));
  if (!value || !value->known()) return std::nullopt;
  return value;
}

// Why a part is not reached with tune's file in place; `got` is the pair a login would get.
std::string login_shortfall(const LoginLimit& sim, size_t i, const std::string& got) {
  if (!sim.stopped_by.empty()) {
    return sim.stopped_by + " gives these logins no limits at all, so a login would still get " + got;
  }
  // A soft value pam lowered to the hard one comes from the hard one's line.
  const bool clamped = i == 0 && sim.soft_clamped;
  const std::string& source = i == 0 && !clamped ? sim.soft_from : sim.hard_from;
  if (!source.empty() && file_of(source) != kLimitsFile) {
    const bool after =
        starts_with(source, std::string(kLimitsDir) + "/") && base_name(file_of(source)) > "90-tune.conf";
    return source + (after ? " sets it after 90-tune.conf" : " takes precedence over 90-tune.conf") +
           ", so a login would still get " + got;
  }
  if (clamped) return "above the hard limit, so a login would get " + got;
  return "a login would get " + got;
}

std::string manager_shortfall(const ManagerLimit& sim, const std::string& got) {
  if (starts_with(sim.from, "/") && sim.from != kPid1Limits && file_of(sim.from) != kManagerFile) {
    return sim.from + " sets it after 90-tune.conf, so services would still get " + got;
  }
  return "services would get " + got;
}

struct Files {
  std::vector<LimitsLine> pam;
  std::vector<ManagerLine> manager;
};

class Planning {
 public:
  Planning(const PlanRequest& request, Plan& plan) : request_(request), plan_(plan) {}

  Status run() {
    TUNE_ASSIGN_OR_RETURN(host_, read_limits_host(request_.system));
    const LimitsView live(host_);
    TUNE_RETURN_IF_ERROR(collect(live));
    for (auto& group : groups_) {
      choose_values(group);
      refuse_unsafe(group);
    }
    settle();
    return emit();
  }

 private:
  void skip(const Setting* setting, const std::string& reason) {
    plan_.skipped.push_back({"limits", setting->target(), setting->want.describe(), reason, setting_origin(*setting)});
  }

  // Skip a setting and take it out of its group: its lines are not written.
  void drop(Group& group, const Setting* setting, const std::string& reason) {
    skip(setting, reason);
    for (auto& part : group.parts) {
      if (part.setting == setting) part.setting = nullptr;
    }
    group.settings.erase(std::remove(group.settings.begin(), group.settings.end(), setting), group.settings.end());
  }

  Status collect(const LimitsView& live) {
    for (const Setting* setting : request_.profile.in_domain("limits")) {
      const auto dot = setting->key.find('.');
      const std::string name = setting->key.substr(0, dot);
      const std::string kind = dot == std::string::npos ? "" : setting->key.substr(dot + 1);
      const LimitInfo* limit = find_limit(name);
      if (limit == nullptr || (!kind.empty() && kind != "soft" && kind != "hard")) {
        skip(setting, "not a limit tune knows");
        continue;
      }
      const std::string& item = setting->scope;
      if (!valid_limits_item(item)) {
        skip(setting, "'" + item + "' is not \"*\", a user name or @group");
        continue;
      }
      if (item[0] == '%') {
        skip(setting, "'%' items count the logins of a whole group, which tune does not plan");
        continue;
      }
      Want want = normalized(setting->want);
      auto bad = std::find_if(want.values.begin(), want.values.end(), [&](const std::string& value) {
        auto parsed = parse_pam_text(*limit, value);
        return !parsed || !parsed->known();
      });
      if (bad != want.values.end()) {
        skip(setting, "'" + *bad + "' is not a value for " + name);
        continue;
      }
      auto group = std::find_if(groups_.begin(), groups_.end(),
                                [&](const Group& g) { return g.item == item && g.limit == limit; });
      if (group == groups_.end()) {
        Group fresh;
        fresh.item = item;
        fresh.limit = limit;
        TUNE_ASSIGN_OR_RETURN(fresh.subject, login_subject(request_.system, item));
        fresh.before = live.login(fresh.subject, *limit);
        fresh.manager_before = live.manager(*limit);
        groups_.push_back(std::move(fresh));
        group = groups_.end() - 1;
      }
      // A later setting of the same part replaces an earlier one, as in the profile.
      if (kind != "hard") group->parts[0] = Part{setting, want, {}, {}};
      if (kind != "soft") group->parts[1] = Part{setting, want, {}, {}};
      group->settings.push_back(setting);
    }
    return {};
  }

  void choose_values(Group& group) {
    for (size_t i = 0; i < group.parts.size(); ++i) {
      Part& part = group.parts[i];
      if (part.setting == nullptr) continue;
      auto login = value_for(*group.limit, part.want, part_of(group.before.value, i));
      auto manager = value_for(*group.limit, part.want, part_of(group.manager_before.value, i));
      if (!login || !manager) {
        drop(group, part.setting, "tune cannot tell which value to set");
        continue;
      }
      part.login = *login;
      part.manager = *manager;
    }
  }

  // Values that would break logins or lower what tune only raises.
  void refuse_unsafe(Group& group) {
    const KnowledgeEntry* entry = Knowledge::builtin().find("limits", group.limit->name);
    const bool raise_only = entry != nullptr && entry->raise_only;
    for (size_t i = 0; i < group.parts.size(); ++i) {
      Part& part = group.parts[i];
      if (part.setting == nullptr) continue;
      if (group.limit->name == "nofile" && host_.nr_open) {
        const Rlim ceiling = Rlim::of(*host_.nr_open);
        if (looser(part.login, ceiling).value_or(false) ||
            (group.has_manager() && looser(part.manager, ceiling).value_or(false))) {
          drop(group, part.setting, fmt::format("above fs.nr_open ({}): logins would fail", *host_.nr_open));
          continue;
        }
      }
      const Rlim& live = part_of(group.before.value, i);
      if (raise_only && part.want.op == Want::Op::Exact && looser(live, part.login).value_or(false)) {
        drop(group, part.setting, "would lower a raise-only limit (a login gets " + pam_text(*group.limit, live) + ")");
      }
    }
  }

  // The lines of both files for what is still planned. A service default that
  // systemd would refuse, or that tune cannot complete, is dealt with here.
  Files lines(bool& dropped) {
    Files files;
    dropped = false;
    warnings_.clear();
    for (auto& group : groups_) {
      for (size_t i = 0; i < group.parts.size(); ++i) {
        const Part& part = group.parts[i];
        if (part.setting == nullptr) continue;
        files.pam.push_back({group.item, i == 0 ? "soft" : "hard", group.limit, part.login});
      }
      group.manager_line = false;
      if (!group.has_manager() || group.settings.empty()) continue;
      RlimPair pair = group.manager_before.value;
      for (size_t i = 0; i < group.parts.size(); ++i) {
        if (group.parts[i].setting != nullptr) part_of(pair, i) = group.parts[i].manager;
      }
      if (!pair.soft.known() || !pair.hard.known()) {
        warnings_.push_back(manager_target(*group.limit) +
                            ": tune cannot tell what the service manager gives services now, so it leaves their "
                            "limit alone");
        continue;
      }
      if (looser(pair.soft, pair.hard).value_or(false)) {
        if (group.parts[0].setting != nullptr) {
          drop(group, group.parts[0].setting,
               "above the hard limit services get (" + pam_text(*group.limit, pair.hard) + "), which systemd refuses");
        } else {
          drop(group, group.parts[1].setting,
               "below the soft limit services get (" + pam_text(*group.limit, pair.soft) + "), which systemd refuses");
        }
        dropped = true;
        continue;
      }
      files.manager.push_back({group.limit, pair});
      group.manager_line = true;
    }
    return files;
  }

  LimitsHost with_files(const Files& files) const {
    LimitsHost host = host_;
    if (!files.pam.empty()) {
      put_drop_in(host.pam.drop_ins, kLimitsFile, limits_file_text(request_.profile.name, files.pam));
    }
    if (!files.manager.empty()) {
      put_drop_in(host.manager.drop_ins, kManagerFile, manager_file_text(request_.profile.name, files.manager));
    }
    return host;
  }

  // Compute both views with tune's files in place; skip what they would not
  // reach, and again until what is left is reached.
  void settle() {
    for (;;) {
      bool dropped = false;
      files_ = lines(dropped);
      if (dropped) continue;
      const LimitsView view(with_files(files_));
      for (auto& group : groups_) {
        const LoginLimit login = view.login(group.subject, *group.limit);
        const ManagerLimit manager = view.manager(*group.limit);
        for (size_t i = 0; i < group.parts.size(); ++i) {
          const Part& part = group.parts[i];
          if (part.setting == nullptr) continue;
          if (!part.want.satisfied_by(pam_text(*group.limit, part_of(login.value, i)))) {
            drop(group, part.setting, login_shortfall(login, i, pair_text(*group.limit, login.value)));
            dropped = true;
          } else if (group.manager_line &&
                     !part.want.satisfied_by(pam_text(*group.limit, part_of(manager.value, i)))) {
            drop(group, part.setting, manager_shortfall(manager, pair_text(*group.limit, manager.value)));
            dropped = true;
          }
        }
        group.after = login.value;
        group.manager_after = manager.value;
      }
      if (!dropped) return;
    }
  }

  Change derived(const std::string& target, const LimitInfo& limit, const RlimPair& before, const RlimPair& after,
                 const std::string& reason, const std::string& note) const {
    Change change;
    change.domain = "limits";
    change.target = target;
    change.before = pair_text(limit, before);
    change.after = pair_text(limit, after);
    // Compared as shown: a byte count pam's KiB cannot tell apart is no change.
    change.action = *change.before == *change.after ? Action::None : Action::Modify;
    change.persistence = Persistence::File;
    change.reason = reason;
    change.note = note;
    return change;
  }

  // The derived changes come before the files: the engine records a derived
  // target's prior value when it reaches its step, which must be before the
  // files that change it are written (it reads them back after every step).
  Status emit() {
    const std::string& profile = request_.profile.name;
    plan_.warnings.insert(plan_.warnings.end(), warnings_.begin(), warnings_.end());
    for (const auto& group : groups_) {
      if (group.settings.empty()) continue;
      std::vector<std::string> origins;
      for (const Setting* setting : group.settings) origins.push_back(setting_origin(*setting));
      const std::string reason = join(origins, "; ");
      plan_.changes.push_back(derived(login_target(group.item, *group.limit), *group.limit, group.before.value,
                                      group.after, reason, kLoginNote));
      if (group.manager_line) {
        plan_.changes.push_back(derived(manager_target(*group.limit), *group.limit, group.manager_before.value,
                                        group.manager_after, reason, kManagerNote));
      }
    }
    if (!files_.pam.empty()) {
      TUNE_DECLARE_OR_RETURN(Change file, plan_file(request_.system, kLimitsFile, limits_file_text(profile, files_.pam),
                                                    0644, profile + " (limits for new login sessions)"));
      plan_.changes.push_back(std::move(file));
    }
    if (!files_.manager.empty()) {
      TUNE_DECLARE_OR_RETURN(Change file,
                             plan_file(request_.system, kManagerFile, manager_file_text(profile, files_.manager), 0644,
                                       profile + " (limits the service manager gives new services)"));
      plan_.changes.push_back(std::move(file));
    }
    return {};
  }

  const PlanRequest& request_;
  Plan& plan_;
  LimitsHost host_;
  std::vector<Group> groups_;
  Files files_;
  std::vector<std::string> warnings_;
};

}  // namespace

Status LimitsPlanner::plan(const PlanRequest& request, Plan& plan) const {
  if (request.profile.in_domain("limits").empty()) return {};
  return Planning(request, plan).run();
}

}  // namespace tune::linux_platform
