#include "util/ethtool_ioctl.h"

#include "util/nic_settings.h"
#include "util/text.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

namespace tune {
namespace {

// A datagram socket is the handle the ioctl needs; any family the kernel has will do.
class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Runs one ethtool command on data (whose first u32 is the command); errno on failure, else 0.
int ethtool_call(const std::string& interface, void* data, int* result = nullptr) {
  Socket socket;
  if (socket.fd() < 0) return errno;
  struct ifreq request {};
  std::memcpy(request.ifr_name, interface.c_str(), std::min(interface.size(), sizeof(request.ifr_name) - 1));
  request.ifr_data = static_cast<char*>(data);
  int rc = ::ioctl(socket.fd(), SIOCETHTOOL, &request);
  if (rc < 0) return errno;
  if (result) *result = rc;
  return 0;
}

Error ioctl_error(const std::string& interface, const std::string& what, int error) {
  return make_error("ethtool {} {}: {}", interface, what, std::strerror(error));
}

bool unsupported(int error) { return error == EOPNOTSUPP || error == EINVAL; }

// Feature names, in the kernel's bit order (ETH_SS_FEATURES).
Result<std::vector<std::string>> feature_names(const std::string& interface) {
  // The answer's one count follows the struct (its flexible data[]).
  std::vector<char> sset_buffer(sizeof(struct ethtool_sset_info) + sizeof(uint32_t), 0);
  auto* sset = reinterpret_cast<struct ethtool_sset_info*>(sset_buffer.data());
  sset->cmd = ETHTOOL_GSSET_INFO;
  sset->sset_mask = 1ULL << ETH_SS_FEATURES;
  if (int error = ethtool_call(interface, sset)) return ioctl_error(interface, "features", error);
  if (!(sset->sset_mask & (1ULL << ETH_SS_FEATURES))) return std::vector<std::string>{};
  uint32_t count = 0;
  std::memcpy(&count, sset_buffer.data() + sizeof(struct ethtool_sset_info), sizeof count);
  std::vector<char> buffer(sizeof(struct ethtool_gstrings) + size_t(count) * ETH_GSTRING_LEN);
  auto* strings = reinterpret_cast<struct ethtool_gstrings*>(buffer.data());
  strings->cmd = ETHTOOL_GSTRINGS;
  strings->string_set = ETH_SS_FEATURES;
  strings->len = count;
  if (int error = ethtool_call(interface, strings)) return ioctl_error(interface, "feature names", error);
  std::vector<std::string> names;
  for (uint32_t i = 0; i < count; ++i) {
    const char* name = reinterpret_cast<const char*>(strings->data) + size_t(i) * ETH_GSTRING_LEN;
    names.emplace_back(name, strnlen(name, ETH_GSTRING_LEN));
  }
  return names;
}

struct FeatureWords {
  std::vector<char> buffer;
  struct ethtool_gfeatures* get() { return reinterpret_cast<struct ethtool_gfeatures*>(buffer.data()); }
};

Result<std::string> read_features(const std::string& interface) {
  std::vector<std::string> names;
  TUNE_ASSIGN_OR_RETURN(names, feature_names(interface));
  const uint32_t blocks = static_cast<uint32_t>((names.size() + 31) / 32);
  FeatureWords words{std::vector<char>(sizeof(struct ethtool_gfeatures) + blocks * sizeof(struct ethtool_get_features_block))};
  words.get()->cmd = ETHTOOL_GFEATURES;
  words.get()->size = blocks;
  if (int error = ethtool_call(interface, words.get())) return ioctl_error(interface, "features", error);
  std::vector<NicSetting> settings;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) continue;
    const auto& block = words.get()->features[i / 32];
    const uint32_t bit = 1U << (i % 32);
    // As ethtool -k shows it: changeable only when the driver offers it and it is not marked never-changed.
    bool fixed = !(block.available & bit) || (block.never_changed & bit);
    settings.push_back({names[i], (block.active & bit) ? "on" : "off", std::nullopt, fixed});
  }
  return format_nic_settings(settings);
}

Status write_features(const std::string& interface, const std::vector<NicSetting>& changes) {
  std::vector<std::string> names;
  TUNE_ASSIGN_OR_RETURN(names, feature_names(interface));
  const uint32_t blocks = static_cast<uint32_t>((names.size() + 31) / 32);
  std::vector<char> buffer(sizeof(struct ethtool_sfeatures) + blocks * sizeof(struct ethtool_set_features_block));
  auto* request = reinterpret_cast<struct ethtool_sfeatures*>(buffer.data());
  request->cmd = ETHTOOL_SFEATURES;
  request->size = blocks;
  for (const auto& change : changes) {
    auto it = std::find(names.begin(), names.end(), change.name);
    if (it == names.end()) return make_error("ethtool {} {}: no such feature", interface, change.name);
    const size_t index = static_cast<size_t>(it - names.begin());
    const uint32_t bit = 1U << (index % 32);
    request->features[index / 32].valid |= bit;
    if (change.value == "on") request->features[index / 32].requested |= bit;
  }
  int result = 0;
  if (int error = ethtool_call(interface, request, &result)) return ioctl_error(interface, "features", error);
  // ETHTOOL_F_WISH (the driver kept another value) shows when tune reads the value back.
  if (result & ETHTOOL_F_UNSUPPORTED) return make_error("ethtool {} features: the driver cannot change them", interface);
  return {};
}

// A u32 field of a fixed ethtool struct, by its name in ethtool's words.
struct Field {
  const char* name;
  size_t offset;
  size_t max_offset;  // SIZE_MAX: no maximum (coalescing)
  bool is_switch;
};

#define TUNE_FIELD(type, name, member, max) {name, offsetof(type, member), max, false}
constexpr size_t kNoMax = SIZE_MAX;

const std::vector<Field>& channel_fields() {
  static const std::vector<Field> fields = {
      TUNE_FIELD(ethtool_channels, "rx", rx_count, offsetof(ethtool_channels, max_rx)),
      TUNE_FIELD(ethtool_channels, "tx", tx_count, offsetof(ethtool_channels, max_tx)),
      TUNE_FIELD(ethtool_channels, "other", other_count, offsetof(ethtool_channels, max_other)),
      TUNE_FIELD(ethtool_channels, "combined", combined_count, offsetof(ethtool_channels, max_combined)),
  };
  return fields;
}

const std::vector<Field>& ring_fields() {
  static const std::vector<Field> fields = {
      TUNE_FIELD(ethtool_ringparam, "rx", rx_pending, offsetof(ethtool_ringparam, rx_max_pending)),
      TUNE_FIELD(ethtool_ringparam, "rx-mini", rx_mini_pending, offsetof(ethtool_ringparam, rx_mini_max_pending)),
      TUNE_FIELD(ethtool_ringparam, "rx-jumbo", rx_jumbo_pending, offsetof(ethtool_ringparam, rx_jumbo_max_pending)),
      TUNE_FIELD(ethtool_ringparam, "tx", tx_pending, offsetof(ethtool_ringparam, tx_max_pending)),
  };
  return fields;
}

const std::vector<Field>& coalesce_fields() {
  static const std::vector<Field> fields = {
      TUNE_FIELD(ethtool_coalesce, "rx-usecs", rx_coalesce_usecs, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "rx-frames", rx_max_coalesced_frames, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "rx-usecs-irq", rx_coalesce_usecs_irq, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "rx-frames-irq", rx_max_coalesced_frames_irq, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "tx-usecs", tx_coalesce_usecs, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "tx-frames", tx_max_coalesced_frames, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "tx-usecs-irq", tx_coalesce_usecs_irq, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "tx-frames-irq", tx_max_coalesced_frames_irq, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "stats-block-usecs", stats_block_coalesce_usecs, kNoMax),
      {"adaptive-rx", offsetof(ethtool_coalesce, use_adaptive_rx_coalesce), kNoMax, true},
      {"adaptive-tx", offsetof(ethtool_coalesce, use_adaptive_tx_coalesce), kNoMax, true},
      TUNE_FIELD(ethtool_coalesce, "pkt-rate-low", pkt_rate_low, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "rx-usecs-low", rx_coalesce_usecs_low, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "rx-frames-low", rx_max_coalesced_frames_low, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "tx-usecs-low", tx_coalesce_usecs_low, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "tx-frames-low", tx_max_coalesced_frames_low, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "pkt-rate-high", pkt_rate_high, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "rx-usecs-high", rx_coalesce_usecs_high, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "rx-frames-high", rx_max_coalesced_frames_high, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "tx-usecs-high", tx_coalesce_usecs_high, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "tx-frames-high", tx_max_coalesced_frames_high, kNoMax),
      TUNE_FIELD(ethtool_coalesce, "sample-interval", rate_sample_interval, kNoMax),
  };
  return fields;
}
#undef TUNE_FIELD

uint32_t field_at(const std::vector<char>& data, size_t offset) {
  uint32_t value = 0;
  std::memcpy(&value, data.data() + offset, sizeof value);
  return value;
}

struct StructGroup {
  uint32_t get_cmd;
  uint32_t set_cmd;
  size_t size;
  const std::vector<Field>* fields;
};

std::optional<StructGroup> struct_group(const std::string& group) {
  if (group == "channels") return StructGroup{ETHTOOL_GCHANNELS, ETHTOOL_SCHANNELS, sizeof(ethtool_channels), &channel_fields()};
  if (group == "rings") return StructGroup{ETHTOOL_GRINGPARAM, ETHTOOL_SRINGPARAM, sizeof(ethtool_ringparam), &ring_fields()};
  if (group == "coalesce") return StructGroup{ETHTOOL_GCOALESCE, ETHTOOL_SCOALESCE, sizeof(ethtool_coalesce), &coalesce_fields()};
  return std::nullopt;
}

// The struct as the driver fills it; nullopt when the driver has no such operation.
Result<std::optional<std::vector<char>>> get_struct(const std::string& interface, const std::string& group,
                                                     const StructGroup& kind) {
  std::vector<char> data(kind.size, 0);
  std::memcpy(data.data(), &kind.get_cmd, sizeof kind.get_cmd);
  if (int error = ethtool_call(interface, data.data())) {
    if (unsupported(error)) return std::optional<std::vector<char>>{};
    return ioctl_error(interface, group, error);
  }
  return std::optional<std::vector<char>>{std::move(data)};
}

}  // namespace

Result<std::string> ethtool_read_group(const std::string& interface, const std::string& group) {
  if (!valid_interface_name(interface)) return make_error("ethtool: '{}' is not an interface name", printable_line(interface));
  if (group == "features") return read_features(interface);
  auto kind = struct_group(group);
  if (!kind) return make_error("ethtool: '{}' is not a settings group", printable_line(group));
  std::optional<std::vector<char>> data;
  TUNE_ASSIGN_OR_RETURN(data, get_struct(interface, group, *kind));
  if (!data) return std::string();
  std::vector<NicSetting> settings;
  for (const auto& field : *kind->fields) {
    const uint32_t value = field_at(*data, field.offset);
    if (field.max_offset == kNoMax) {
      settings.push_back({field.name, field.is_switch ? (value ? "on" : "off") : std::to_string(value), std::nullopt, false});
      continue;
    }
    const uint32_t max = field_at(*data, field.max_offset);
    if (max == 0) continue;  // the driver has no such channel or ring
    settings.push_back({field.name, std::to_string(value), max, false});
  }
  return format_nic_settings(settings);
}

Status ethtool_write_group(const std::string& interface, const std::string& group, std::string_view changes) {
  if (!valid_interface_name(interface)) return make_error("ethtool: '{}' is not an interface name", printable_line(interface));
  std::vector<NicSetting> wanted;
  TUNE_ASSIGN_OR_RETURN(wanted, parse_nic_settings(changes));
  if (group == "features") return write_features(interface, wanted);
  auto kind = struct_group(group);
  if (!kind) return make_error("ethtool: '{}' is not a settings group", printable_line(group));
  // Read, change the named fields, write the whole struct back: the set
  // commands take every field.
  std::optional<std::vector<char>> data;
  TUNE_ASSIGN_OR_RETURN(data, get_struct(interface, group, *kind));
  if (!data) return make_error("ethtool {} {}: Operation not supported", interface, group);
  for (const auto& change : wanted) {
    auto field = std::find_if(kind->fields->begin(), kind->fields->end(),
                              [&](const Field& f) { return change.name == f.name; });
    if (field == kind->fields->end()) return make_error("ethtool {} {}: no such setting", interface, change.name);
    uint32_t value = 0;
    if (field->is_switch) {
      if (change.value != "on" && change.value != "off") return make_error("ethtool {} {}: on or off", interface, change.name);
      value = change.value == "on" ? 1 : 0;
    } else {
      auto number = parse_integer(change.value);
      if (!number || *number < 0 || *number > 0xffffffffLL) {
        return make_error("ethtool {} {}: '{}' is not a count", interface, change.name, printable_line(change.value));
      }
      value = static_cast<uint32_t>(*number);
    }
    std::memcpy(data->data() + field->offset, &value, sizeof value);
  }
  std::memcpy(data->data(), &kind->set_cmd, sizeof kind->set_cmd);
  if (int error = ethtool_call(interface, data->data())) return ioctl_error(interface, group, error);
  return {};
}

}  // namespace tune
