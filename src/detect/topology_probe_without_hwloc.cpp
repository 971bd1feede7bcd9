// probe_topology for a build without hwloc (Windows, cross-built with
// MinGW-w64): the host's processors, groups and NUMA nodes come from the
// Win32 API there (System::windows()), so only the what-if inputs that need
// hwloc are refused, with the reason.
#include "detect/probes.h"

namespace tune::detect {

Status probe_topology(Probe& /*probe*/, const TopologyInput& input) {
  if (!input.xml.empty()) return make_error("--topology {}: this build has no hwloc to read an XML topology", input.xml);
  if (!input.synthetic.empty()) return make_error("--synthetic: this build has no hwloc to build a synthetic topology");
  return {};
}

}  // namespace tune::detect
