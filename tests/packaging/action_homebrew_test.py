#!/usr/bin/env python3
"""packaging.homebrew_formula: packaging/homebrew/tune.rb, checked by its
structure, since Ruby and brew are not here.

The formula must name every library CMakeLists.txt finds (find_package,
pkg_check_modules) by its Homebrew name, and no library CMake does not use;
pass only options CMakeLists.txt declares; keep the url/sha256 placeholders
documented; and its test block must run `tune --version` and
`tune profiles list`.

Exit 0 pass, 1 fail.
"""
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, verdict  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FORMULA = os.path.join(REPO, "packaging", "homebrew", "tune.rb")
README = os.path.join(REPO, "packaging", "homebrew", "README.md")

# CMake's name for a dependency -> the Homebrew formula that provides it.
# None: not a formula (the compiler's own thread library).
HOMEBREW_NAME = {
    "PkgConfig": "pkgconf",
    "CLI11": "cli11",
    "yaml-cpp": "yaml-cpp",
    "spdlog": "spdlog",
    "nlohmann_json": "nlohmann-json",
    "hwloc": "hwloc",
    "libsystemd": "systemd",
    "tomlplusplus": "tomlplusplus",
    "Threads": None,
}
# Formulas the formula may name although CMakeLists.txt does not find them
# itself: spdlog is built against an external fmt, which tune's code uses
# through spdlog's headers; cmake builds.
INDIRECT = {"fmt", "cmake"}
LINUX_ONLY = {"systemd"}



def cmake_dependencies(cmake):
    names = set(re.findall(r"^\s*find_package\(\s*([A-Za-z0-9_.+-]+)", cmake, re.M))
    for args in re.findall(r"^\s*pkg_check_modules\(([^)]*)\)", cmake, re.M):
        words = args.split()
        keywords = {"REQUIRED", "QUIET", "IMPORTED_TARGET", "GLOBAL", "NO_CMAKE_PATH",
                    "NO_CMAKE_ENVIRONMENT_PATH"}
        names.update(w for w in words[1:] if w not in keywords)
    return names


def block(text, opener):
    """The body of `opener do ... end` at the formula's indentation."""
    match = re.search(rf"^(\s*){re.escape(opener)} do\n(.*?)^\1end\n", text, re.M | re.S)
    return match.group(2) if match else None


def main():
    formula = open(FORMULA).read()
    cmake = open(os.path.join(REPO, "CMakeLists.txt")).read()

    check(re.search(r"^class Tune < Formula$", formula, re.M) is not None, "class Tune < Formula")
    for field in ("desc", "homepage", "url", "sha256"):
        check(re.search(rf'^  {field} "[^"]+"$', formula, re.M) is not None, f"the formula has {field}")
    sha = re.search(r'^  sha256 "([^"]*)"', formula, re.M)
    check(bool(sha) and re.fullmatch(r"[0-9a-f]{64}", sha.group(1)) is not None, "sha256 is 64 hex digits")
    version = re.search(r"^project\(tune VERSION ([0-9.]+)", cmake, re.M).group(1)
    url = re.search(r'^  url "([^"]*)"', formula, re.M)
    check(bool(url) and f"v{version}.tar.gz" in url.group(1), f"url names the project's version {version}")
    readme = open(README).read() if os.path.exists(README) else ""
    check("sha256" in readme and "url" in readme and "placeholder" in readme,
          "README.md says how to replace the url and sha256 placeholders")
    check("issue 15" in readme and "macOS" in readme, "README.md says macOS has no backend yet (issue 15)")

    linux = block(formula, "on_linux") or ""
    everywhere = formula.replace(linux, "")
    build_deps = set(re.findall(r'depends_on "([^"]+)" => :build', formula))
    runtime = set(re.findall(r'depends_on "([^"]+)"\s*$', everywhere, re.M))
    linux_deps = set(re.findall(r'depends_on "([^"]+)"', linux))
    check("cmake" in build_deps, 'depends_on "cmake" => :build')

    wanted = {HOMEBREW_NAME.get(name, f"<no Homebrew name for {name}>") for name in cmake_dependencies(cmake)}
    wanted.discard(None)
    named = build_deps | runtime | linux_deps
    missing = sorted(wanted - named)
    check(not missing, "every library CMakeLists.txt finds is a dependency", f"missing: {missing}")
    extra = sorted(named - wanted - INDIRECT)
    check(not extra, "no dependency CMakeLists.txt does not use", f"extra: {extra}")
    check(linux_deps == LINUX_ONLY and not (runtime & LINUX_ONLY),
          "systemd only on_linux", f"on_linux: {sorted(linux_deps)}")

    install = re.search(r"^  def install\n(.*?)^  end\n", formula, re.M | re.S)
    install = install.group(1) if install else ""
    check(re.search(r'system "cmake", "-S", ".", "-B", "build", \*std_cmake_args', install) is not None,
          "configures with std_cmake_args")
    options = set(re.findall(r"^\s*option\((\w+)", cmake, re.M))
    passed = set(re.findall(r'"-D(\w+)=', install))
    # A -D the formula passes must be an option() or a cache variable of the
    # project's CMake files (TUNE_ZSH_COMPLETION_DIR is one), else CMake only
    # warns that it went unused.
    cache_variables = set()
    for directory, subdirectories, files in os.walk(REPO):
        subdirectories[:] = [d for d in subdirectories if not d.startswith((".", "build"))]
        for name in files:
            if name == "CMakeLists.txt" or name.endswith(".cmake"):
                text = open(os.path.join(directory, name), errors="replace").read()
                cache_variables.update(re.findall(r"^\s*set\((\w+)[^)]*\bCACHE\b", text, re.M))
                options.update(re.findall(r"^\s*option\((\w+)", text, re.M))
    for option in sorted(passed):
        check(option in options or option in cache_variables,
              f"-D{option} is an option() or cache variable of the project")
    for option in ("TUNE_FAULT_POINTS", "TUNE_BUILD_TESTS"):
        check(f'"-D{option}=OFF"' in install, f"builds with -D{option}=OFF")
    check('system "cmake", "--install", "build"' in install, "installs with cmake --install")

    test = block(formula, "test") or ""
    check('#{bin}/tune --version' in test, "the test block runs tune --version")
    check('#{bin}/tune profiles list' in test, "the test block runs tune profiles list")

    return verdict()


if __name__ == "__main__":
    sys.exit(main())
