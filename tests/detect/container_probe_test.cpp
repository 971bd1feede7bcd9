// Container: whether this process runs in one, and which; cgroup mode.
#include "probe_harness.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

void root_mount(const TempTree& tree, const std::string& type) {
  tree.write("/proc/self/mountinfo", "27 1 254:0 / / rw,relatime - " + type + " /dev/vda rw\n"
                                     "22 27 0:21 / /proc rw,relatime - proc proc rw\n");
}

TEST(ContainerProbe, DockerenvOnAnOverlayRootIsDocker) {
  ProbeHarness h;
  h.tree.write("/.dockerenv", "");
  root_mount(h.tree, "overlay");
  h.tree.write("/proc/1/cgroup", "0::/\n");
  detect::probe_container(h.probe);
  EXPECT_EQ(h.facts.container, "docker");
  EXPECT_EQ(h.facts.evidence.at("container"), "/.dockerenv exists and / is overlay");
}

TEST(ContainerProbe, DockerenvOnAVmsOwnDiskIsIgnored) {
  ProbeHarness h;
  h.tree.write("/.dockerenv", "");
  root_mount(h.tree, "ext4");
  h.tree.write("/proc/1/cgroup", "0::/\n");
  detect::probe_container(h.probe);
  EXPECT_EQ(h.facts.container, "none");
  EXPECT_EQ(h.facts.evidence.at("container"), "/.dockerenv exists but / is ext4, not a container's root: ignored");
}

TEST(ContainerProbe, Pid1sEnvironmentNamesTheContainer) {
  ProbeHarness h;
  h.tree.write("/proc/1/environ", std::string("PATH=/bin\0container=lxc\0HOME=/\0", 31));
  detect::probe_container(h.probe);
  EXPECT_EQ(h.facts.container, "lxc");
}

TEST(ContainerProbe, SystemdsMarkerNamesTheContainer) {
  ProbeHarness h;
  h.tree.write("/run/systemd/container", "systemd-nspawn\n");
  detect::probe_container(h.probe);
  EXPECT_EQ(h.facts.container, "systemd-nspawn");
}

TEST(ContainerProbe, ContainerenvIsPodman) {
  ProbeHarness h;
  h.tree.write("/run/.containerenv", "engine=\"podman-4.3.1\"\n");
  detect::probe_container(h.probe);
  EXPECT_EQ(h.facts.container, "podman");
}

TEST(ContainerProbe, CgroupPathsNameTheContainer) {
  ProbeHarness h;
  h.tree.write("/proc/1/cgroup", "12:memory:/docker/3f2a9c1b7d42\n0::/docker/3f2a9c1b7d42\n");
  detect::probe_container(h.probe);
  EXPECT_EQ(h.facts.container, "docker");
}

TEST(ContainerProbe, APodIsKubernetes) {
  ProbeHarness h;
  h.tree.write("/.dockerenv", "");
  root_mount(h.tree, "overlay");
  h.tree.mkdir("/var/run/secrets/kubernetes.io/serviceaccount");
  detect::probe_container(h.probe);
  EXPECT_EQ(h.facts.container, "kubernetes");
  ProbeHarness env;
  env.tree.write("/proc/1/environ", std::string("KUBERNETES_SERVICE_HOST=10.0.0.1\0", 33));
  detect::probe_container(env.probe);
  EXPECT_EQ(env.facts.container, "kubernetes");
}

// tune rooted at a node's filesystem from inside a pod (packaging/kubernetes):
// the tree's /proc/self is tune in its pod, whose variables say nothing of the node.
TEST(ContainerProbe, UnderARootTunesOwnPodVariablesDoNotMakeTheTreeAPod) {
  ProbeHarness h;
  h.tree.write("/proc/1/cgroup", "0::/init.scope\n");
  h.tree.write("/proc/self/environ", std::string("KUBERNETES_SERVICE_HOST=10.0.0.1\0", 33));
  detect::probe_container(h.probe);
  EXPECT_EQ(h.facts.container, "none");
}

TEST(ContainerProbe, NoMarkersOnAReadableHostIsNone) {
  ProbeHarness h;
  h.tree.write("/proc/1/cgroup", "0::/init.scope\n");
  detect::probe_container(h.probe);
  EXPECT_EQ(h.facts.container, "none");
}

TEST(ContainerProbe, NothingReadableIsUnknown) {
  ProbeHarness h;
  detect::probe_container(h.probe);
  EXPECT_TRUE(h.facts.container.empty());
}

TEST(ContainerProbe, TellsTheCgroupMode) {
  ProbeHarness unified;
  unified.tree.write("/sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
  detect::probe_container(unified.probe);
  EXPECT_EQ(unified.facts.platform.cgroup_mode, "unified");
  ProbeHarness hybrid;
  hybrid.tree.write("/sys/fs/cgroup/unified/cgroup.controllers", "");
  hybrid.tree.mkdir("/sys/fs/cgroup/memory");
  detect::probe_container(hybrid.probe);
  EXPECT_EQ(hybrid.facts.platform.cgroup_mode, "hybrid");
  ProbeHarness legacy;
  legacy.tree.mkdir("/sys/fs/cgroup/memory");
  detect::probe_container(legacy.probe);
  EXPECT_EQ(legacy.facts.platform.cgroup_mode, "legacy");
}

}  // namespace
}  // namespace tune::testing
