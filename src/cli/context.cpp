#include "cli/context.h"

#if defined(TUNE_WITH_SYSTEMD)
#include "platform/linux/service_manager_sdbus.h"
#endif
#include "platform/platforms.h"
#include "util/text.h"
#include "util/windows_paths.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <unistd.h>
#if defined(_WIN32)
#include <windows.h>
#endif

#ifndef TUNE_SOURCE_PROFILES_DIR
#define TUNE_SOURCE_PROFILES_DIR ""
#endif
#ifndef TUNE_INSTALL_PROFILES_DIR
#define TUNE_INSTALL_PROFILES_DIR "/usr/share/tune/profiles"
#endif
#ifndef TUNE_SOURCE_TEMPLATES_DIR
#define TUNE_SOURCE_TEMPLATES_DIR ""
#endif
#ifndef TUNE_INSTALL_TEMPLATES_DIR
#define TUNE_INSTALL_TEMPLATES_DIR "/usr/share/tune/templates"
#endif

namespace tune::cli {
namespace {

// share/tune/<what> beside the running binary (bin/../share/tune/<what>), so an
// installed tree works wherever it was installed (`cmake --install --prefix`).
// Empty when there is none, as when tune runs from its build tree.
std::string beside_executable(const std::string& what) {
  std::error_code error;
#if defined(_WIN32)
  wchar_t module[MAX_PATH];
  const DWORD length = ::GetModuleFileNameW(nullptr, module, MAX_PATH);
  if (length == 0 || length == MAX_PATH) return "";
  const std::filesystem::path exe(std::wstring(module, length));
#else
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "";
#endif
  const auto dir = exe.parent_path().parent_path() / "share" / "tune" / what;
  return std::filesystem::is_directory(dir, error) ? dir.lexically_normal().string() : "";
}

// The host's own directory for profiles or templates: /etc/tune/... on Linux,
// %ProgramData%\tune\... on Windows (util/windows_paths.h).
std::string local_place(const std::string& unix_path) {
#if defined(_WIN32)
  return windows_host_path(unix_path);
#else
  return unix_path;
#endif
}

// The installed directories: beside the binary first, then the configured prefix.
void add_installed(std::vector<std::string>& dirs, const std::string& what, const std::string& configured) {
  for (const std::string& dir : {beside_executable(what), configured}) {
    if (!dir.empty() && std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(dir);
  }
}

}  // namespace

LocalSystem& Context::system() {
  if (!system_) {
    system_ = std::make_unique<LocalSystem>(options.root);
    // The real host talks to systemd where it is PID 1; a tree has none.
#if defined(TUNE_WITH_SYSTEMD)
    if (options.root.empty()) system_->set_services(linux_platform::connect_service_manager());
#endif
  }
  return *system_;
}

const Platform& Context::platform() { return platform_for(native_os()); }

ProfileStore Context::profiles() const {
  std::vector<std::string> dirs = options.profile_dirs;
  if (const char* path = std::getenv("TUNE_PROFILES_PATH")) {
    for (const auto& dir : split(path, ':')) {
      if (!dir.empty()) dirs.push_back(dir);
    }
  }
  dirs.push_back(local_place("/etc/tune/profiles"));
  add_installed(dirs, "profiles", TUNE_INSTALL_PROFILES_DIR);
  // Running from a build tree: the profiles beside the sources.
  if (std::string source = TUNE_SOURCE_PROFILES_DIR; !source.empty()) dirs.push_back(source);
  return ProfileStore(dirs);
}

std::vector<std::string> Context::template_dirs() const {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("TUNE_TEMPLATES_PATH")) {
    for (const auto& dir : split(path, ':')) {
      if (!dir.empty()) dirs.push_back(dir);
    }
  }
  dirs.push_back(local_place("/etc/tune/templates"));
  add_installed(dirs, "templates", TUNE_INSTALL_TEMPLATES_DIR);
  if (std::string source = TUNE_SOURCE_TEMPLATES_DIR; !source.empty()) dirs.push_back(source);
  return dirs;
}

Result<Policy> Context::policy() {
  if (!policy_) policy_ = load_policy(system());
  return *policy_;
}

Result<std::string> Context::journal_dir() {
  auto loaded = policy();
  if (!loaded) return loaded.error();
  if (!loaded->journal_dir.empty()) return loaded->journal_dir;
  return options.state_dir + "/journal";
}

Style Context::style() const {
  Style style;
  style.color = !options.no_color && !options.json && std::getenv("NO_COLOR") == nullptr && ::isatty(STDOUT_FILENO);
  return style;
}

void Context::out(const std::string& text) const {
  // Values come from files, the kernel and profiles: none may hide what follows it.
  const std::string safe = safe_for_terminal(text);
  std::fwrite(safe.data(), 1, safe.size(), stdout);
  std::fflush(stdout);
}

int Context::fail(const Error& error, int code) const {
  if (options.json) {
    out(nlohmann::json{{"error", error.message}, {"exit_code", code}}.dump() + "\n");
  }
  return fail_after_report(error, code);
}

int Context::fail_after_report(const Error& error, int code) const {
  std::string message = error.message;
  for (char& c : message) c = c == '\n' ? ' ' : c;  // one line, always
  const std::string line = printable_line(message);
  std::fprintf(stderr, "tune: %s\n", line.c_str());
  return code;
}

}  // namespace tune::cli
