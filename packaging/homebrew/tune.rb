# Homebrew formula for tune. The url and sha256 are placeholders until the
# first tagged release: a release replaces them with the tarball GitHub makes
# for the tag and its `shasum -a 256` (README.md says how).
class Tune < Formula
  desc "Measured, reviewable, undoable host tuning for AI and API services"
  homepage "https://github.com/tune-project/tune"
  url "https://github.com/tune-project/tune/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  # No license line yet: the project has no LICENSE file. Add `license "ID"`
  # (SPDX) when it has one; homebrew-core requires it, a tap does not.
  head "https://github.com/tune-project/tune.git", branch: "main"

  depends_on "cmake" => :build
  depends_on "pkgconf" => :build
  depends_on "cli11"
  depends_on "fmt"
  depends_on "hwloc"
  depends_on "nlohmann-json"
  depends_on "spdlog"
  depends_on "tomlplusplus"
  depends_on "yaml-cpp"

  # tune reads unit state through libsystemd, which exists only on Linux.
  on_linux do
    depends_on "systemd"
  end

  def install
    # As the Debian and RPM packages: no test-only fault points, no test suite.
    system "cmake", "-S", ".", "-B", "build", *std_cmake_args,
           "-DTUNE_FAULT_POINTS=OFF", "-DTUNE_BUILD_TESTS=OFF", "-DTUNE_SOURCE_TREE_LOOKUP=OFF",
           "-DTUNE_ZSH_COMPLETION_DIR=share/zsh/site-functions"
    system "cmake", "--build", "build"
    # Installs bin/tune, share/tune (profiles, templates, knowledge), the man
    # pages under share/man/man1 and the completions where Homebrew's shells
    # look: share/bash-completion/completions, share/zsh/site-functions and
    # share/fish/vendor_completions.d.
    system "cmake", "--install", "build"
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/tune --version")
    # The shipped profiles are found under the keg's share/tune/profiles.
    assert_match "balanced", shell_output("#{bin}/tune profiles list")
  end
end
