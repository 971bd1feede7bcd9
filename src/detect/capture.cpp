// Snapshot capture: detection runs once through a recording door, which
// therefore sees exactly the files detection reads; hwloc's inputs, which
// hwloc reads itself, are walked through the same door.
#include "detect/capture.h"

#include "detect/probe.h"
#include "util/nic_settings.h"
#include "util/text.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace tune {
namespace {

namespace fs = std::filesystem;

class RecordingSystem final : public System {
 public:
  explicit RecordingSystem(const System& inner) : inner_(inner) {}

  Result<std::string> read_file(const std::string& path) const override {
    auto text = inner_.read_file(path);
    if (text) files_[path] = *text;
    return text;
  }
  Result<FileInfo> stat(const std::string& path) const override {
    auto info = inner_.stat(path);
    if (info && info->exists) present_[path] = *info;
    return info;
  }
  Result<std::vector<std::string>> list_dir(const std::string& path) const override {
    auto names = inner_.list_dir(path);
    if (names) listings_[path] = *names;
    return names;
  }
  Status write_file(const std::string& path, std::string_view, const FileAttrs&) override { return refuse(path); }
  Status write_attribute(const std::string& path, std::string_view) override { return refuse(path); }
  Status append_durable(const std::string& path, std::string_view) override { return refuse(path); }
  Status remove_file(const std::string& path) override { return refuse(path); }
  Status make_dirs(const std::string& path, uint32_t) override { return refuse(path); }
  Status remove_empty_dir(const std::string& path) override { return refuse(path); }
  Status allocate_file(const std::string& path, uint64_t, uint32_t) override { return refuse(path); }
  Status write_at(const std::string& path, uint64_t, std::string_view) override { return refuse(path); }
  Status swap_on(const std::string& path, int) override { return refuse(path); }
  Status swap_off(const std::string& path) override { return refuse(path); }
  // Recorded where a rooted tree keeps it, so a snapshot can be planned against.
  Result<std::string> read_nic(const std::string& interface, const std::string& group) const override {
    auto text = inner_.read_nic(interface, group);
    if (text) files_[nic_state_path(interface, group)] = *text;
    return text;
  }
  Status write_nic(const std::string& interface, const std::string& group, std::string_view) override {
    return refuse(interface + "/" + group);
  }
  Result<ProcessResult> run(const std::vector<std::string>& argv) override {
    return make_error("capturing a snapshot runs nothing ({})", argv.empty() ? "" : argv.front());
  }
  Result<std::unique_ptr<LockHandle>> try_lock(const std::string& path) override { return refuse(path); }
  ServiceManager& services() const override { return offline_; }
  bool can_run_programs() const override { return false; }
  uint32_t effective_uid() const override { return inner_.effective_uid(); }
  bool may_change_host() const override { return false; }
  std::string describe() const override { return "capture of " + inner_.describe(); }

  const std::map<std::string, std::string>& files() const { return files_; }
  const std::map<std::string, FileInfo>& present() const { return present_; }
  const std::map<std::string, std::vector<std::string>>& listings() const { return listings_; }
  const System& inner() const { return inner_; }

 private:
  static Error refuse(const std::string& path) { return make_error("capturing a snapshot changes nothing ({})", path); }

  const System& inner_;
  mutable OfflineServiceManager offline_{"capturing a snapshot talks to no service manager"};
  mutable std::map<std::string, std::string> files_;
  mutable std::map<std::string, FileInfo> present_;
  mutable std::map<std::string, std::vector<std::string>> listings_;
};

void read_all_files_in(const System& door, const std::string& dir) {
  auto names = door.list_dir(dir);
  if (!names) return;
  for (const auto& name : *names) (void)door.read_file(dir + "/" + name);
}

// What hwloc's Linux discovery reads (CPU topology, caches, NUMA nodes,
// memory, the cpuset it runs in), walked through the recording door.
void read_hwloc_inputs(const System& door) {
  const std::string cpu_dir = "/sys/devices/system/cpu";
  for (const char* name : {"online", "possible", "present", "kernel_max"}) (void)door.read_file(cpu_dir + "/" + name);
  for (const auto& cpu : door.list_dir(cpu_dir).value_or_default()) {
    if (!starts_with(cpu, "cpu") || cpu.size() < 4 || !std::isdigit(static_cast<unsigned char>(cpu[3]))) continue;
    const std::string base = cpu_dir + "/" + cpu;
    (void)door.read_file(base + "/online");
    (void)door.read_file(base + "/cpu_capacity");
    (void)door.read_file(base + "/cpufreq/cpuinfo_max_freq");
    (void)door.read_file(base + "/cpufreq/base_frequency");
    read_all_files_in(door, base + "/topology");
    for (const auto& index : door.list_dir(base + "/cache").value_or_default()) {
      if (starts_with(index, "index")) read_all_files_in(door, base + "/cache/" + index);
    }
  }
  const std::string node_dir = "/sys/devices/system/node";
  for (const auto& node : door.list_dir(node_dir).value_or_default()) {
    if (!starts_with(node, "node")) {
      (void)door.read_file(node_dir + "/" + node);  // online, possible, has_cpu...
      continue;
    }
    const std::string base = node_dir + "/" + node;
    for (const char* name : {"cpumap", "cpulist", "meminfo", "distance"}) (void)door.read_file(base + "/" + name);
    for (const auto& pool : door.list_dir(base + "/hugepages").value_or_default()) {
      (void)door.read_file(base + "/hugepages/" + pool + "/nr_hugepages");
      (void)door.read_file(base + "/hugepages/" + pool + "/free_hugepages");
    }
  }
  for (const char* path : {"/proc/cpuinfo", "/proc/meminfo", "/proc/mounts", "/proc/self/cgroup"}) (void)door.read_file(path);
  if (auto cpuset = door.read_file("/proc/self/cpuset")) {
    const std::string group = trim(*cpuset) == "/" ? "" : trim(*cpuset);
    for (const char* name : {"cpuset.cpus.effective", "cpuset.mems.effective"}) {
      (void)door.read_file("/sys/fs/cgroup" + group + "/" + name);
    }
    for (const char* name : {"cpuset.cpus", "cpuset.mems"}) (void)door.read_file("/sys/fs/cgroup/cpuset" + group + "/" + name);
  }
}

// Environment files keep only what container detection reads.
std::string filtered_environ(const std::string& text) {
  std::string kept;
  for (const auto& entry : split(text, '\0')) {
    if (starts_with(entry, "container=") || starts_with(entry, "KUBERNETES_SERVICE_HOST=")) kept += entry + '\0';
  }
  return kept;
}

Status write_text(const fs::path& path, const std::string& data) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return make_error("creating {}: {}", path.parent_path().string(), ec.message());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) return make_error("writing {}: cannot write there", path.string());
  return {};
}

Status make_directory(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return make_error("creating {}: {}", path.string(), ec.message());
  return {};
}

const char* kReadme =
    "A snapshot of the files `tune detect` reads on a host, taken by `tune detect --capture`.\n"
    "Detect from it with:  tune --root THIS_DIR detect   (or recommend, plan)\n"
    "Left out on purpose: /etc/machine-id, and every environment variable except the\n"
    "container markers (container=, KUBERNETES_SERVICE_HOST=). Review it before sharing:\n"
    "it holds the host name, /proc/mounts and the hardware inventory.\n";

}  // namespace

Result<CaptureReport> capture_snapshot(const System& host, const std::string& dir) {
  const fs::path out_root(dir);
  std::error_code ec;
  if (fs::exists(out_root, ec) && !fs::is_empty(out_root, ec)) {
    return make_error("{}: already exists and is not empty; capture into a new directory", dir);
  }

  RecordingSystem recorder(host);
  DetectOptions options;  // hwloc itself is not run: its inputs are walked below
  (void)detect_host(recorder, options);
  read_hwloc_inputs(recorder);

  CaptureReport report;
  report.left_out.push_back("/etc/machine-id (a unique id of the host)");
  report.left_out.push_back("environment variables other than container markers");
  auto under = [&](const std::string& path) { return out_root / path.substr(1); };

  TUNE_RETURN_IF_ERROR(make_directory(out_root));
  std::set<std::string> written;
  for (const auto& [path, text] : recorder.files()) {
    if (path == "/etc/machine-id") continue;
    const bool environment = ends_with(path, "/environ");  // `environ` is a macro on MinGW
    TUNE_RETURN_IF_ERROR(write_text(under(path), environment ? filtered_environ(text) : text));
    written.insert(path);
    ++report.files;
  }
  // Directory listings: entries nobody read still make the listing the same.
  for (const auto& [path, names] : recorder.listings()) {
    TUNE_RETURN_IF_ERROR(make_directory(under(path)));
    ++report.directories;
    for (const auto& name : names) {
      const std::string child = path + "/" + name;
      if (written.count(child) || recorder.listings().count(child)) continue;
      auto info = recorder.inner().stat(child);
      if (!info || !info->exists) continue;
      // sysfs links (class, bus) lead to directories.
      if (info->is_dir || info->is_symlink) TUNE_RETURN_IF_ERROR(make_directory(under(child)));
      else if (!fs::exists(under(child), ec)) TUNE_RETURN_IF_ERROR(write_text(under(child), ""));
    }
  }
  // Paths only tested for existence (/.dockerenv, cgroup.controllers).
  for (const auto& [path, info] : recorder.present()) {
    if (written.count(path) || fs::exists(under(path), ec)) continue;
    if (info.is_dir || info.is_symlink) TUNE_RETURN_IF_ERROR(make_directory(under(path)));
    else TUNE_RETURN_IF_ERROR(write_text(under(path), ""));
  }
  TUNE_RETURN_IF_ERROR(write_text(out_root / "README.tune-snapshot", kReadme));
  return report;
}

}  // namespace tune
