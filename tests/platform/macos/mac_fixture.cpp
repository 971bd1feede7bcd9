#include "platform/macos/mac_fixture.h"

#include "core/planner.h"
#include "core/profile.h"
#include "detect/macos_facts.h"
#include "platform/macos/macos_platform.h"
#include "platform/macos/pmset_values.h"
#include "util/text.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

ProcessResult ok(std::string out = "") { return {0, std::move(out), ""}; }
ProcessResult fail(std::string err, int code = 1) { return {code, "", std::move(err) + "\n"}; }

bool machine_key(const std::string& key) {
  return starts_with(key, "hw.") || starts_with(key, "machdep.") || starts_with(key, "kern.os") ||
         key == "kern.hostname" || key == "kern.uuid" || key == "kern.hv_vmm_present";
}

std::string limit_line(const std::string& resource, const std::pair<std::string, std::string>& limit) {
  return fmt::format("\t{:<12}{:<15}{:<15}\n", resource, limit.first, limit.second);
}

}  // namespace

MacFixture::MacFixture(const std::string& name, const TempTree& tree)
    : RootedDoor(tree.root()), dir_("tests/fixtures/macos/" + name + "/") {
  sysctl = parse_sysctl_output(source_file(dir_ + "sysctl.txt"));
  for (const auto& [source, values] : macos_platform::parse_pmset(source_file(dir_ + "pmset-custom.txt"))) {
    pmset[source] = values;
  }
  power_source = source_file(dir_ + "pmset-batt.txt").find("'AC Power'") != std::string::npos ? "AC Power"
                                                                                               : "Battery Power";
  for (const auto& line : split_lines(source_file(dir_ + "launchctl-limit.txt"))) {
    auto words = split_whitespace(line);
    if (words.size() == 3) limits[words[0]] = {words[1], words[2]};
  }
  for (const auto& line : split_lines(source_file(dir_ + "launchctl-env.txt"))) {
    auto equals = line.find('=');
    if (equals != std::string::npos) environment[line.substr(0, equals)] = line.substr(equals + 1);
  }
  for (const auto& line : split_lines(source_file(dir_ + "spotlight.txt"))) {
    auto words = split_whitespace(line);
    if (words.size() == 2) spotlight[words[0]] = words[1];
  }
}

HostFacts MacFixture::facts() { return detect_macos_host(*this); }

Result<ProcessResult> MacFixture::run(const std::vector<std::string>& argv) {
  calls.push_back(join(argv, " "));
  std::vector<std::string> args(argv.begin() + (argv.empty() ? 0 : 1), argv.end());
  const std::string program = argv.empty() ? "" : argv[0];
  if (program == "/usr/sbin/sysctl") return sysctl_call(args);
  if (program == "/usr/bin/pmset") return pmset_call(args);
  if (program == "/bin/launchctl") return launchctl_call(args);
  if (program == "/usr/bin/mdutil") return mdutil_call(args);
  if (program == "/usr/sbin/ioreg" && args == std::vector<std::string>{"-rc", "AGXAccelerator", "-d1"}) {
    return ok(source_file(dir_ + "ioreg-agx.txt"));
  }
  if (program == "/usr/bin/sw_vers" && args.empty()) return ok(source_file(dir_ + "sw_vers.txt"));
  ADD_FAILURE() << "the fixture Mac does not know the command: " << calls.back();
  return make_error("the fixture Mac does not know the command: {}", calls.back());
}

ProcessResult MacFixture::sysctl_call(const std::vector<std::string>& args) {
  if (args.size() == 2 && args[0] == "-n") {
    auto it = sysctl.find(args[1]);
    if (it == sysctl.end()) return fail("sysctl: unknown oid '" + args[1] + "'");
    return ok(it->second + "\n");
  }
  if (!args.empty() && args[0] == "-w") {
    std::string out;
    for (size_t i = 1; i < args.size(); ++i) {
      auto equals = args[i].find('=');
      if (equals == std::string::npos) return fail("sysctl: " + args[i] + ": -w needs name=value");
      const std::string key = args[i].substr(0, equals);
      const std::string value = args[i].substr(equals + 1);
      auto it = sysctl.find(key);
      if (it == sysctl.end()) return fail("sysctl: unknown oid '" + key + "'");
      if (machine_key(key)) return fail("sysctl: oid '" + key + "' is read only");
      if (refuse_sysctl.count(key) && refuse_sysctl[key].count(value)) {
        return fail("sysctl: " + key + "=" + value + ": Invalid argument");
      }
      out += key + ": " + it->second + " -> " + value + "\n";
      it->second = value;
    }
    return ok(out);
  }
  // sysctl NAME...: every key under each name, as "name: value" lines.
  std::string out;
  for (const auto& name : args) {
    if (starts_with(name, "-")) return fail("sysctl: the fixture Mac does not model " + name);
    for (const auto& [key, value] : sysctl) {
      if (key == name || starts_with(key, name + ".")) out += key + ": " + value + "\n";
    }
  }
  return ok(out);
}

ProcessResult MacFixture::pmset_call(const std::vector<std::string>& args) {
  if (args == std::vector<std::string>{"-g", "custom"}) {
    std::string out;
    // pmset lists the battery first where there is one.
    for (const char* source : {"Battery Power", "AC Power", "UPS Power"}) {
      auto it = pmset.find(source);
      if (it == pmset.end()) continue;
      out += std::string(source) + ":\n";
      for (const auto& [key, value] : it->second) out += fmt::format(" {:<20} {}\n", key, value);
    }
    return ok(out);
  }
  if (args == std::vector<std::string>{"-g", "batt"}) return ok(source_file(dir_ + "pmset-batt.txt"));
  if (args.size() == 3 && (args[0] == "-a" || args[0] == "-c" || args[0] == "-b" || args[0] == "-u")) {
    const std::string& key = args[1];
    bool known = false;
    for (const auto& [source, values] : pmset) known = known || values.count(key);
    if (!known) return fail("Usage: pmset <options>: unrecognized setting '" + key + "'");
    if (!parse_integer(args[2])) return fail("pmset: '" + args[2] + "' is not a value for " + key);
    const std::string only = args[0] == "-c" ? "AC Power" : args[0] == "-b" ? "Battery Power" : args[0] == "-u" ? "UPS Power" : "";
    for (auto& [source, values] : pmset) {
      if (only.empty() || source == only) values[key] = args[2];
    }
    return ok();
  }
  return fail("pmset: the fixture Mac does not model: " + join(args, " "));
}

ProcessResult MacFixture::launchctl_call(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "limit") {
    if (args.size() == 1) {
      std::string out;
      for (const auto& [resource, limit] : limits) out += limit_line(resource, limit);
      return ok(out);
    }
    auto it = limits.find(args[1]);
    if (it == limits.end()) return fail("launchctl limit: unknown resource " + args[1]);
    if (args.size() == 2) return ok(limit_line(it->first, it->second));
    if (args.size() == 4) {
      it->second = {args[2], args[3]};
      return ok();
    }
  }
  if (args.size() == 2 && args[0] == "getenv") {
    auto it = environment.find(args[1]);
    return ok(it == environment.end() ? "" : it->second + "\n");
  }
  if (args.size() == 3 && args[0] == "setenv") {
    environment[args[1]] = args[2];
    return ok();
  }
  if (args.size() == 2 && args[0] == "unsetenv") {
    environment.erase(args[1]);
    return ok();
  }
  // launchctl(1): print/bootout name a job as system/LABEL; bootstrap loads
  // a plist under its Label and fails (status 5, "Input/output error", as
  // launchctl reports it) when that label is already loaded.
  const std::string system_prefix = "system/";
  if (args.size() == 2 && (args[0] == "print" || args[0] == "bootout") && starts_with(args[1], system_prefix)) {
    auto job = jobs.find(args[1].substr(system_prefix.size()));
    if (job == jobs.end()) {
      return args[0] == "print" ? fail("Could not find service \"" + args[1].substr(system_prefix.size()) +
                                       "\" in domain for system", 113)
                                : fail("Boot-out failed: 3: No such process", 3);
    }
    if (args[0] == "print") return ok(args[1] + " = {\n\tpath = " + job->second + "\n\tstate = running\n}\n");
    jobs.erase(job);
    return ok();
  }
  if (args.size() == 3 && args[0] == "bootstrap" && args[1] == "system") {
    auto text = read_file(args[2]);
    if (!text) return fail("Bootstrap failed: 2: No such file or directory", 2);
    const std::string key = "<key>Label</key>";
    const size_t at = text->find(key);
    const size_t open = at == std::string::npos ? at : text->find("<string>", at);
    const size_t close = open == std::string::npos ? open : text->find("</string>", open);
    if (close == std::string::npos) return fail("Bootstrap failed: 22: Invalid argument", 22);
    const std::string label = text->substr(open + 8, close - open - 8);
    if (jobs.count(label)) return fail("Bootstrap failed: 5: Input/output error", 5);
    jobs[label] = args[2];
    return ok();
  }
  return fail("launchctl: the fixture Mac does not model: " + join(args, " "));
}

ProcessResult MacFixture::mdutil_call(const std::vector<std::string>& args) {
  const std::string volume = args.empty() ? "" : args.back();
  auto it = spotlight.find(volume);
  if (args.size() == 2 && args[0] == "-s") {
    if (it == spotlight.end()) return fail("Error: invalid operation: " + volume + " is not a volume");
    return ok(volume + ":\n\tIndexing " + (it->second == "on" ? "enabled" : "disabled") + ". \n");
  }
  if (args.size() == 3 && args[0] == "-i" && (args[1] == "on" || args[1] == "off")) {
    if (it == spotlight.end()) return fail("Error: invalid operation: " + volume + " is not a volume");
    it->second = args[1];
    return ok(volume + ":\n\tIndexing " + (args[1] == "on" ? "enabled" : "disabled") + ". \n");
  }
  return fail("mdutil: the fixture Mac does not model: " + join(args, " "));
}

Plan plan_on_mac(MacFixture& mac, const std::string& profile_text, const std::vector<std::string>* template_dirs) {
  auto profile = parse_profile(profile_text, "t.yaml");
  EXPECT_TRUE(profile) << profile.error().message;
  if (!profile) return {};
  Platform platform = macos_platform::make_platform();
  HostFacts facts = mac.facts();
  auto made = make_plan({*profile, facts, mac, nullptr, template_dirs}, platform, "test");
  EXPECT_TRUE(made) << made.error().message;
  return made ? *made : Plan{};
}

Change changing(const std::string& domain, const std::string& target, const std::string& after) {
  Change change;
  change.domain = domain;
  change.target = target;
  change.action = Action::Modify;
  change.after = after;
  return change;
}

}  // namespace tune::testing
