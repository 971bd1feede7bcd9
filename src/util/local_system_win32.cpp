// LocalSystem on Windows: the same door as util/local_system.cpp, over Win32.
// Paths are tune's host paths, placed by util/windows_paths.h (tune's own
// under %ProgramData%\tune, the rest on the system drive, or under --root).
//
// What differs from Linux, and why:
//  - Files have no Unix mode or owner: stat reports 0755 for a directory and
//    0644 (0444 when read-only) for a file, owned by effective_uid(); who may
//    write is the ACL %ProgramData%\tune inherits (Administrators and SYSTEM).
//  - effective_uid() is 0 in an elevated process (an administrator's full
//    token) and 1 otherwise: tune's checks only ask "the privileged user or
//    not", which is what elevation answers on Windows.
//  - Kernel attribute files, swap areas and ethtool do not exist here: those
//    calls say so (the page file is a registry value of the Windows backend).
#include "util/local_system.h"

#include "util/text.h"
#include "util/windows_paths.h"

#if __has_include("util/win32_api.h")
#include "util/win32_api.h"
#define TUNE_HAVE_WIN32_API 1
#endif

#include <windows.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <system_error>
#include <thread>

namespace tune {
namespace {

constexpr size_t kMaxRead = 64u << 20;

std::wstring wide(const std::string& text) {
  if (text.empty()) return {};
  const int size = ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(size), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size);
  return out;
}

std::string narrow(const std::wstring& text) {
  if (text.empty()) return {};
  const int size =
      ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<size_t>(size), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size, nullptr, nullptr);
  return out;
}

std::string error_text(DWORD code) {
  wchar_t* buffer = nullptr;
  const DWORD length = ::FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, code, 0,
      reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  std::string text = length ? narrow(std::wstring(buffer, length)) : "Windows error " + std::to_string(code);
  if (buffer) ::LocalFree(buffer);
  return trim(text);
}

Error win_error(const char* verb, const std::string& path, DWORD code = ::GetLastError()) {
  return make_error("{} {}: {}", verb, path, error_text(code));
}

bool is_absent(DWORD code) { return code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND; }

// Closes a handle on every path out of a function.
class Handle {
 public:
  explicit Handle(HANDLE handle = INVALID_HANDLE_VALUE) : handle_(handle) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (valid()) ::CloseHandle(handle_);
  }
  bool valid() const { return handle_ != INVALID_HANDLE_VALUE && handle_ != nullptr; }
  HANDLE get() const { return handle_; }
  HANDLE release() {
    HANDLE handle = handle_;
    handle_ = INVALID_HANDLE_VALUE;
    return handle;
  }

 private:
  HANDLE handle_;
};

Status write_all(HANDLE handle, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const DWORD chunk = static_cast<DWORD>(std::min<size_t>(data.size(), 1u << 30));
    DWORD written = 0;
    if (!::WriteFile(handle, data.data(), chunk, &written, nullptr)) return win_error("writing", path);
    data.remove_prefix(written);
  }
  return {};
}

std::string temporary_name() {
  static const char kLetters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  std::string name = ".tune-";
  for (int i = 0; i < 8; ++i) name += kLetters[random() % (sizeof kLetters - 1)];
  return name;
}

bool process_is_elevated() {
  HANDLE token = nullptr;
  if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token)) return false;
  TOKEN_ELEVATION elevation{};
  DWORD size = 0;
  const bool elevated = ::GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &size) &&
                        elevation.TokenIsElevated != 0;
  ::CloseHandle(token);
  return elevated;
}

// One argument as the Microsoft C runtime's parser reads it back
// ("Parsing C++ command-line arguments", Microsoft Learn): quoted when it has
// a space, tab or quote or is empty; a quote escaped with a backslash; the
// backslashes before a quote (or before the closing quote) doubled.
std::wstring quote_argument(const std::wstring& argument) {
  if (!argument.empty() && argument.find_first_of(L" \t\n\v\"") == std::wstring::npos) return argument;
  std::wstring quoted = L"\"";
  size_t backslashes = 0;
  for (wchar_t c : argument) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    if (c == L'"') quoted.append(backslashes * 2 + 1, L'\\');
    else quoted.append(backslashes, L'\\');
    backslashes = 0;
    quoted += c;
  }
  quoted.append(backslashes * 2, L'\\');
  quoted += L'"';
  return quoted;
}

class FileLock final : public LockHandle {
 public:
  explicit FileLock(HANDLE handle) : handle_(handle) {}
  ~FileLock() override {
    OVERLAPPED at{};
    at.Offset = kLockOffset;
    ::UnlockFileEx(handle_, 0, 1, 0, &at);
    ::CloseHandle(handle_);
  }
  // The locked byte lies past the pid text, so a second tune can still read who holds it.
  static constexpr DWORD kLockOffset = 0x7fffffff;

 private:
  HANDLE handle_;
};

}  // namespace

namespace {
std::string without_trailing_slashes(std::string root) {
  while (root.size() > 1 && (root.back() == '/' || root.back() == '\\')) root.pop_back();
  return root == "/" ? "" : root;
}

// The native path of a host path, or the refusal in words.
Result<std::wstring> native(const std::string& root, const std::string& path) {
  static const WindowsLocations locations = windows_locations_from_environment();
  auto placed = windows_native_path(root, path, locations);
  if (!placed) return make_error("'{}' is not an absolute path without . or .. in it", path);
  return wide(*placed);
}
}  // namespace

// confined_paths.h's check for an option that names a directory (--root):
// on Windows a drive path ("C:/tree") or "/x", with no "." or "..".
bool is_host_path(const std::string& path) {
  return windows_native_path("", path, windows_locations_from_environment()).has_value();
}

LocalSystem::LocalSystem(std::string root) : root_(without_trailing_slashes(std::move(root))) {
  services_ = std::make_unique<OfflineServiceManager>("Windows services are changed through the Windows backend");
#ifdef TUNE_HAVE_WIN32_API
  if (root_.empty()) windows_ = make_win32_api();
#endif
}

Result<std::string> LocalSystem::read_file(const std::string& path) const {
  std::wstring file;
  TUNE_ASSIGN_OR_RETURN(file, native(root_, path));
  Handle handle(::CreateFileW(file.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!handle.valid()) return win_error("reading", path);
  if (::GetFileType(handle.get()) != FILE_TYPE_DISK) return make_error("reading {}: not a regular file", path);
  std::string data;
  char buffer[8192];
  for (;;) {
    DWORD got = 0;
    if (!::ReadFile(handle.get(), buffer, sizeof buffer, &got, nullptr)) return win_error("reading", path);
    if (got == 0) break;
    if (data.size() + got > kMaxRead) return make_error("reading {}: larger than 64 MiB", path);
    data.append(buffer, got);
  }
  return data;
}

Result<FileInfo> LocalSystem::stat(const std::string& path) const {
  std::wstring file;
  TUNE_ASSIGN_OR_RETURN(file, native(root_, path));
  FileInfo info;
  WIN32_FILE_ATTRIBUTE_DATA data{};
  if (!::GetFileAttributesExW(file.c_str(), GetFileExInfoStandard, &data)) {
    const DWORD code = ::GetLastError();
    if (is_absent(code)) return info;
    return win_error("inspecting", path, code);
  }
  info.exists = true;
  info.is_dir = (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
  info.is_symlink = (data.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
  const bool read_only = (data.dwFileAttributes & FILE_ATTRIBUTE_READONLY) != 0;
  info.mode = info.is_dir ? 0755 : (read_only ? 0444 : 0644);
  info.uid = effective_uid();
  info.size = info.is_dir ? 0 : (static_cast<uint64_t>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
  return info;
}

Result<std::optional<std::string>> LocalSystem::read_link(const std::string& path) const {
  std::wstring file;
  TUNE_ASSIGN_OR_RETURN(file, native(root_, path));
  std::error_code error;
  if (!std::filesystem::is_symlink(std::filesystem::symlink_status(file, error))) return std::optional<std::string>();
  const auto target = std::filesystem::read_symlink(file, error);
  if (error) return make_error("reading the link {}: {}", path, error.message());
  return std::optional<std::string>(narrow(target.wstring()));
}

Result<std::vector<std::string>> LocalSystem::list_dir(const std::string& path) const {
  std::wstring dir;
  TUNE_ASSIGN_OR_RETURN(dir, native(root_, path));
  std::error_code error;
  std::vector<std::string> names;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    names.push_back(narrow(it->path().filename().wstring()));
  }
  if (error) return make_error("listing {}: {}", path, error.message());
  std::sort(names.begin(), names.end());
  return names;
}

Status LocalSystem::write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) {
  std::wstring file;
  TUNE_ASSIGN_OR_RETURN(file, native(root_, path));
  auto info = stat(path);
  if (!info) return info.error();
  if (info->exists && (info->is_dir || info->is_symlink)) {
    return make_error("refusing to write {}: it is not a regular file", path);
  }
  const std::filesystem::path target(file);
  const std::wstring temp = (target.parent_path() / wide(temporary_name())).wstring();
  Handle handle(::CreateFileW(temp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!handle.valid()) return win_error("creating a temporary file beside", path);
  auto fail = [&](Error error) -> Status {
    ::CloseHandle(handle.release());
    ::DeleteFileW(temp.c_str());
    return error;
  };
  if (auto written = write_all(handle.get(), data, path); !written) return fail(written.error());
  if (!::FlushFileBuffers(handle.get())) return fail(win_error("syncing", path));
  ::CloseHandle(handle.release());
  if (!::MoveFileExW(temp.c_str(), file.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    const DWORD code = ::GetLastError();
    ::DeleteFileW(temp.c_str());
    return win_error("replacing", path, code);
  }
  // No mode bits: a file tune writes read-only for everyone stays read-only.
  if ((attrs.mode & 0222) == 0) ::SetFileAttributesW(file.c_str(), FILE_ATTRIBUTE_READONLY);
  return {};
}

Status LocalSystem::write_attribute(const std::string& path, std::string_view data) {
  // No kernel attribute files on Windows; in a tree this is a file written in place.
  std::wstring file;
  TUNE_ASSIGN_OR_RETURN(file, native(root_, path));
  Handle handle(::CreateFileW(file.c_str(), GENERIC_WRITE, FILE_SHARE_READ, nullptr, TRUNCATE_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!handle.valid()) return win_error("opening", path);
  return write_all(handle.get(), data, path);
}

Status LocalSystem::append_durable(const std::string& path, std::string_view data) {
  std::wstring file;
  TUNE_ASSIGN_OR_RETURN(file, native(root_, path));
  Handle handle(::CreateFileW(file.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ, nullptr, OPEN_ALWAYS,
                              FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!handle.valid()) return win_error("opening", path);
  TUNE_RETURN_IF_ERROR(write_all(handle.get(), data, path));
  if (!::FlushFileBuffers(handle.get())) return win_error("syncing", path);
  return {};
}

Status LocalSystem::remove_file(const std::string& path) {
  std::wstring file;
  TUNE_ASSIGN_OR_RETURN(file, native(root_, path));
  if (!::DeleteFileW(file.c_str())) {
    const DWORD code = ::GetLastError();
    if (!is_absent(code)) return win_error("removing", path, code);
  }
  return {};
}

Status LocalSystem::make_dirs(const std::string& path, uint32_t /*mode*/) {
  std::wstring dir;
  TUNE_ASSIGN_OR_RETURN(dir, native(root_, path));
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return make_error("creating directory {}: {}", path, error.message());
  return {};
}

Status LocalSystem::remove_empty_dir(const std::string& path) {
  std::wstring dir;
  TUNE_ASSIGN_OR_RETURN(dir, native(root_, path));
  if (!::RemoveDirectoryW(dir.c_str())) {
    const DWORD code = ::GetLastError();
    if (is_absent(code) || code == ERROR_DIR_NOT_EMPTY) return {};
    return win_error("removing directory", path, code);
  }
  return {};
}

Status LocalSystem::allocate_file(const std::string& path, uint64_t /*size*/, uint32_t /*mode*/) {
  return make_error("allocating a swap file {}: not on Windows (the page file is the Windows backend's)", path);
}

Status LocalSystem::write_at(const std::string& path, uint64_t offset, std::string_view data) {
  std::wstring file;
  TUNE_ASSIGN_OR_RETURN(file, native(root_, path));
  Handle handle(
      ::CreateFileW(file.c_str(), GENERIC_WRITE, FILE_SHARE_READ, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!handle.valid()) return win_error("opening", path);
  LARGE_INTEGER at{};
  at.QuadPart = static_cast<LONGLONG>(offset);
  if (!::SetFilePointerEx(handle.get(), at, nullptr, FILE_BEGIN)) return win_error("seeking in", path);
  TUNE_RETURN_IF_ERROR(write_all(handle.get(), data, path));
  if (!::FlushFileBuffers(handle.get())) return win_error("syncing", path);
  return {};
}

Status LocalSystem::swap_on(const std::string& path, int /*priority*/) {
  return make_error("swapon {}: not on Windows", path);
}

Status LocalSystem::swap_off(const std::string& path) { return make_error("swapoff {}: not on Windows", path); }

// (`interface` is a macro of the Windows headers: the parameters are named otherwise here.)
Result<std::string> LocalSystem::read_nic(const std::string& nic, const std::string& group) const {
  return make_error("ethtool {} {}: not on Windows", printable_line(nic), printable_line(group));
}

Status LocalSystem::write_nic(const std::string& nic, const std::string& group, std::string_view /*changes*/) {
  return make_error("ethtool {} {}: not on Windows", printable_line(nic), printable_line(group));
}

Result<ProcessResult> LocalSystem::run(const std::vector<std::string>& argv) {
  if (argv.empty()) return make_error("running a program: empty argument list");
  if (!root_.empty()) return make_error("cannot run {} on a tree given with --root", argv[0]);
  std::wstring command_line;
  for (const auto& argument : argv) {
    if (!command_line.empty()) command_line += L' ';
    command_line += quote_argument(wide(argument));
  }
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE out_read = nullptr, out_write = nullptr, err_read = nullptr, err_write = nullptr;
  if (!::CreatePipe(&out_read, &out_write, &inherit, 0)) return win_error("creating a pipe for", argv[0]);
  Handle out_reader(out_read), out_writer(out_write);
  if (!::CreatePipe(&err_read, &err_write, &inherit, 0)) return win_error("creating a pipe for", argv[0]);
  Handle err_reader(err_read), err_writer(err_write);
  // Only the child's ends are inherited.
  ::SetHandleInformation(out_read, HANDLE_FLAG_INHERIT, 0);
  ::SetHandleInformation(err_read, HANDLE_FLAG_INHERIT, 0);
  Handle null_input(::CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING,
                                  FILE_ATTRIBUTE_NORMAL, nullptr));

  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = null_input.get();
  startup.hStdOutput = out_write;
  startup.hStdError = err_write;
  PROCESS_INFORMATION process{};
  // No application name: CreateProcessW searches PATH for argv[0] as posix_spawnp does.
  if (!::CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW, nullptr, nullptr,
                        &startup, &process)) {
    return win_error("running", argv[0]);
  }
  Handle process_handle(process.hProcess), thread_handle(process.hThread);
  ::CloseHandle(out_writer.release());
  ::CloseHandle(err_writer.release());

  ProcessResult result;
  auto drain = [](HANDLE pipe, std::string& sink) {
    char buffer[4096];
    DWORD got = 0;
    while (::ReadFile(pipe, buffer, sizeof buffer, &got, nullptr) && got > 0) sink.append(buffer, got);
  };
  // Both pipes at once, so a child that fills one while we wait on the other cannot stall.
  std::thread errors(drain, err_read, std::ref(result.err));
  drain(out_read, result.out);
  errors.join();
  ::WaitForSingleObject(process.hProcess, INFINITE);
  DWORD exit_code = 0;
  if (!::GetExitCodeProcess(process.hProcess, &exit_code)) return win_error("waiting for", argv[0]);
  result.exit_code = static_cast<int>(exit_code);
  return result;
}

Result<std::unique_ptr<LockHandle>> LocalSystem::try_lock(const std::string& path) {
  std::wstring file;
  TUNE_ASSIGN_OR_RETURN(file, native(root_, path));
  HANDLE raw = ::CreateFileW(file.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                             OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (raw == INVALID_HANDLE_VALUE) return win_error("opening lock", path);
  Handle handle(raw);
  OVERLAPPED at{};
  at.Offset = FileLock::kLockOffset;
  if (!::LockFileEx(raw, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &at)) {
    const DWORD code = ::GetLastError();
    if (code == ERROR_LOCK_VIOLATION || code == ERROR_IO_PENDING) {
      char buffer[32] = {};
      DWORD got = 0;
      ::ReadFile(raw, buffer, sizeof buffer - 1, &got, nullptr);
      std::string holder = got > 0 ? std::string(buffer, got) : "unknown";
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      return make_error("another tune is changing this host (pid {}, lock {})", holder, path);
    }
    return win_error("locking", path, code);
  }
  // Record who holds it, so the next one can say.
  const std::string pid = std::to_string(::GetCurrentProcessId()) + "\n";
  DWORD written = 0;
  if (::SetEndOfFile(raw)) ::WriteFile(raw, pid.data(), static_cast<DWORD>(pid.size()), &written, nullptr);
  return std::unique_ptr<LockHandle>(new FileLock(handle.release()));
}

uint32_t LocalSystem::effective_uid() const {
  static const bool elevated = process_is_elevated();
  return elevated ? 0 : 1;
}

bool LocalSystem::may_change_host() const { return !root_.empty() || effective_uid() == 0; }

std::string LocalSystem::describe() const { return root_.empty() ? std::string("this Windows host") : root_; }

}  // namespace tune
