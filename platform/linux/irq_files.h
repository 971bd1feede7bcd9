// Where interrupts are steered from, as the irq backend reads it: the IRQs
// under /proc/irq (those whose affinity user space may change, and those the
// kernel keeps: per-CPU and managed interrupts have a read-only
// smp_affinity_list), the default affinity new IRQs get, and what
// irqbalance.service is started with (IRQBALANCE_BANNED_CPULIST from the
// unit, its drop-ins and the EnvironmentFile= files, which win over
// Environment=).
#pragma once

#include "platform/linux/config_files.h"
#include "platform/linux/member_values.h"
#include "util/result.h"
#include "util/system.h"

#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kIrqDir = "/proc/irq";
inline constexpr const char* kDefaultAffinityFile = "/proc/irq/default_smp_affinity";
inline constexpr const char* kIrqBootFile = "/etc/tmpfiles.d/90-tune-irq.conf";
inline constexpr const char* kIrqbalanceUnit = "irqbalance.service";
inline constexpr const char* kIrqbalanceDropIn = "/etc/systemd/system/irqbalance.service.d/90-tune-irq.conf";
// irqbalance 1.8 and later; the older IRQBALANCE_BANNED_CPUS is a hex mask.
inline constexpr const char* kBannedVariable = "IRQBALANCE_BANNED_CPULIST";
inline constexpr const char* kBannedMaskVariable = "IRQBALANCE_BANNED_CPUS";

// The IRQs with an affinity file, by number: those tune may move, and those
// whose smp_affinity_list the kernel made read-only.
struct IrqList {
  std::vector<std::string> movable;
  std::vector<std::string> fixed;
};
Result<IrqList> list_irqs(const System& system);

std::string irq_affinity_path(const std::string& irq);  // /proc/irq/N/smp_affinity_list

// Each IRQ's affinity as a CPU list, in IRQ order.
Result<MemberValues> read_irq_affinities(const System& system, const std::vector<std::string>& irqs);

// A variable of irqbalance.service's environment as systemd would start it,
// and the file:line it comes from.
struct UnitVariable {
  std::optional<std::string> value;
  std::string from;
  bool from_environment_file = false;
};

// What irqbalance.service's environment says of `name`. With dropin_text,
// as if tune's drop-in held that text (nullopt: as if it were absent).
Result<UnitVariable> irqbalance_variable(const System& system, const std::string& name,
                                         const std::optional<std::optional<std::string>>& dropin_text = std::nullopt);

// tune's drop-in: IRQBALANCE_BANNED_CPULIST for irqbalance.
std::string irqbalance_dropin_text(const std::string& profile, const std::string& banned);

}  // namespace tune::linux_platform
