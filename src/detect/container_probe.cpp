// Container: whether this process runs inside one, which kind, and the
// cgroup hierarchy it sees.
#include "detect/probes.h"

#include "util/text.h"

namespace tune::detect {
namespace {

// NUL-separated KEY=value entries of a /proc/PID/environ file.
// (Not named `environ`: MinGW's stdlib.h makes that a macro.)
std::string environ_value(const std::string& environment, const std::string& key) {
  for (const auto& entry : split(environment, '\0')) {
    if (starts_with(entry, key + "=")) return entry.substr(key.size() + 1);
  }
  return "";
}

// The filesystem type mounted at "/", from mountinfo ("... - ext4 /dev/vda rw").
std::string root_filesystem(Probe& probe) {
  auto mountinfo = probe.read("/proc/self/mountinfo");
  if (!mountinfo) return "";
  std::string type;
  for (const auto& line : split_lines(*mountinfo)) {
    auto fields = split_whitespace(line);
    if (fields.size() < 5 || fields[4] != "/") continue;
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    auto rest = split_whitespace(line.substr(dash + 3));
    if (!rest.empty()) type = rest[0];  // the last mount on "/" is the one in effect
  }
  return type;
}

struct Finding {
  std::string name;
  std::string why;
};

Finding from_cgroup(const std::string& cgroup) {
  static const std::pair<const char*, const char*> kMarkers[] = {
      {"kubepods", "kubernetes"}, {"/docker", "docker"}, {"docker-", "docker"}, {"libpod", "podman"},
      {"/lxc", "lxc"},            {"lxc.payload", "lxc"}};
  for (const auto& [marker, name] : kMarkers) {
    if (cgroup.find(marker) != std::string::npos) return {name, std::string("/proc/1/cgroup names '") + marker + "'"};
  }
  return {};
}

void probe_cgroup_mode(Probe& probe) {
  std::string& mode = probe.facts().platform.cgroup_mode;
  if (probe.exists("/sys/fs/cgroup/cgroup.controllers")) mode = "unified";
  else if (probe.exists("/sys/fs/cgroup/unified/cgroup.controllers")) mode = "hybrid";
  else if (probe.exists("/sys/fs/cgroup/memory") || probe.exists("/sys/fs/cgroup/cpu")) mode = "legacy";
}

}  // namespace

void probe_container(Probe& probe) {
  probe_cgroup_mode(probe);
  HostFacts& facts = probe.facts();
  Finding found;
  const std::string systemd_says = probe.line("/run/systemd/container");
  if (!systemd_says.empty()) found = {systemd_says, "/run/systemd/container says '" + systemd_says + "'"};
  const auto init_environ = probe.read("/proc/1/environ");
  if (found.name.empty() && init_environ) {
    const std::string value = environ_value(*init_environ, "container");
    if (!value.empty()) found = {value, "PID 1 runs with container=" + value};
  }
  if (found.name.empty() && probe.exists("/run/.containerenv")) found = {"podman", "/run/.containerenv exists"};

  const auto init_cgroup = probe.read("/proc/1/cgroup");
  if (found.name.empty() && init_cgroup) found = from_cgroup(*init_cgroup);

  // Docker leaves /.dockerenv in its images' root, so a VM or machine booted
  // from such an image has it too: believe it only on a container's root.
  const std::string root_fs = root_filesystem(probe);
  if (found.name.empty() && probe.exists("/.dockerenv")) {
    if (root_fs == "overlay" || root_fs == "aufs" || root_fs == "fuse-overlayfs") {
      found = {"docker", "/.dockerenv exists and / is " + root_fs};
    } else if (!root_fs.empty()) {
      probe.note("container", "/.dockerenv exists but / is " + root_fs + ", not a container's root: ignored");
    }
  }

  // A pod is a container that Kubernetes runs: name the orchestrator. Its
  // variables are in every process the pod starts, PID 1 included. tune's own
  // environment counts only on the live host: under --root, /proc may be a
  // node's procfs mounted into a pod (packaging/kubernetes), where /proc/self
  // is tune in its pod, not the tree being described.
  const auto own_environ = probe.system().can_run_programs() ? probe.read("/proc/self/environ") : std::nullopt;
  const auto has_kubernetes_variables = [](const std::optional<std::string>& environment) {
    return environment && !environ_value(*environment, "KUBERNETES_SERVICE_HOST").empty();
  };
  const bool kubernetes = probe.exists("/var/run/secrets/kubernetes.io") || probe.exists("/run/secrets/kubernetes.io") ||
                          has_kubernetes_variables(init_environ) || has_kubernetes_variables(own_environ);
  if (kubernetes) {
    found = {"kubernetes", found.name.empty() ? "Kubernetes service account or environment present"
                                              : found.why + ", and Kubernetes service account or environment present"};
  }

  if (!found.name.empty()) {
    facts.container = found.name;
    facts.evidence["container"] = found.why;
  } else if (init_cgroup || !root_fs.empty()) {
    facts.container = "none";
    if (!facts.evidence.count("container")) facts.evidence["container"] = "no container markers";
  }
}

}  // namespace tune::detect
