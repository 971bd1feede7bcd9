#include "platform/linux/memory_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/linux/memory_knob.h"
#include "platform/linux/sysfs_attribute.h"
#include "platform/linux/tmpfiles.h"
#include "util/text.h"

#include <algorithm>

namespace tune::linux_platform {
namespace {

std::string gib(uint64_t bytes) { return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1ull << 30)); }

}  // namespace

Status MemoryPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("memory");
  if (settings.empty()) return {};
  const System& system = request.system;
  MemoryKnob knob;
  std::vector<BootWrite> boot;
  size_t planned = 0;
  for (const Setting* setting : settings) {
    const std::string target = setting->target();
    const std::string origin = setting_origin(*setting);
    auto skip = [&](const std::string& reason) {
      plan.skipped.push_back({"memory", target, setting->want.describe(), reason, origin});
    };
    auto where = memory_target(target);
    if (!where) return where.error();
    auto observed = knob.observe(system, target);
    if (!observed) return observed.error();
    if (!observed->supported || !observed->writable) {
      skip(observed->note);
      continue;
    }
    const std::string live = *observed->value;
    std::string wanted;
    std::string note;
    if (!where->hugepages) {
      auto attribute = read_attribute(system, where->path);
      if (!attribute) return attribute.error();
      const auto offered = parse_choice(attribute->text).offered;
      const bool is_choice = offered.size() > 1;
      Want choices = setting->want;
      if (is_choice) {
        choices.values.erase(std::remove_if(choices.values.begin(), choices.values.end(),
                                            [&](const std::string& value) {
                                              return std::find(offered.begin(), offered.end(), value) == offered.end();
                                            }),
                             choices.values.end());
        if (choices.values.empty()) {
          skip("value not offered: this kernel offers " + offered_list(offered));
          continue;
        }
      }
      wanted = choices.satisfied_by(live) ? live : choices.target_for(live);
    } else {
      wanted = setting->want.satisfied_by(live) ? live : setting->want.target_for(live);
      auto count = parse_integer(wanted);
      const uint64_t bytes = static_cast<uint64_t>(count.value_or(0)) * where->page_kib * 1024;
      auto total = memory_total_bytes(system);
      if (total && bytes > *total) {
        skip(fmt::format("would reserve {} in {} pages, more than this host's memory ({})", gib(bytes), setting->scope,
                         gib(*total)));
        continue;
      }
      if (total && bytes > *total / 2 && wanted != live) {
        plan.warnings.push_back(fmt::format("memory {}: reserves {} of this host's {}; reserved pages serve nothing else",
                                            target, gib(bytes), gib(*total)));
      }
      if (where->node >= 0) note = "on NUMA node " + std::to_string(where->node);
      if (where->page_kib >= 1024 * 1024 && wanted != live) {
        note += std::string(note.empty() ? "" : "; ") + "pages this large need contiguous free memory; if the kernel "
                "reserves fewer, everything is put back (the boot domain reserves them reliably)";
      }
    }
    Change change;
    change.domain = "memory";
    change.target = target;
    change.before = live;
    change.after = wanted;
    change.action = wanted == live ? Action::None : Action::Modify;
    change.persistence = Persistence::File;
    change.reason = origin;
    change.note = note;
    plan.changes.push_back(std::move(change));
    boot.push_back({where->path, wanted});
    ++planned;
  }
  if (planned == 0) return {};
  auto file = plan_file(system, kMemoryBootFile,
                        tmpfiles_text(request.profile.name, "transparent and explicit hugepages", boot), 0644,
                        request.profile.name + " (memory settings, so they hold after a reboot)");
  if (!file) return file.error();
  plan.changes.push_back(std::move(*file));
  return {};
}

}  // namespace tune::linux_platform
