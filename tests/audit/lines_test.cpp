// Lines that set something tune does not judge are counted, with the
// reason; prose, program code, command output and figures are not.
#include "audit/audit.h"

#include <gtest/gtest.h>

#include <map>

namespace tune::audit {
namespace {

// line -> reason id of the not-judged lines.
std::map<int, std::string> not_judged(const std::string& text, const std::string& source = "guide.md") {
  std::map<int, std::string> lines;
  for (const auto& finding : audit_text(text, source, nullptr)) {
    if (finding.kind == FindingKind::Line) {
      EXPECT_EQ(finding.verdict, Verdict::NotJudged);
      EXPECT_FALSE(finding.message.empty());
      lines[finding.item.line] = finding.rule;
    }
  }
  return lines;
}

// 000 line 668, 002 line 1170, 003 line 115.
TEST(Lines, ShellCommandsTuneCannotJudgeAreCountedWithTheReason) {
  auto lines = not_judged("```bash\n"
                          "sudo sysctl -p\n"                                  // 2
                          "/opt/truststram/scripts/optimize_irq_affinity.sh\n"  // 3
                          "sudo systemctl enable fstrim.timer\n"              // 4
                          "export JAVA_TOOL_THING=-Xmx2g\n"                   // 5
                          "ls -la /sys/block\n"                               // 6: only looks
                          "echo \"Tuning done\"\n"                            // 7: prints
                          "sudo ip link set eth0 mtu 9000\n"                  // 8
                          "```\n");
  EXPECT_EQ(lines[2], "loads-file");
  EXPECT_EQ(lines[3], "script-not-shown");
  EXPECT_EQ(lines[4], "command-not-judged");
  EXPECT_EQ(lines[5], "unknown-variable");
  EXPECT_EQ(lines.count(6), 0u);
  EXPECT_EQ(lines.count(7), 0u);
  EXPECT_EQ(lines[8], "command-not-judged");
}

TEST(Lines, AScriptTheTextShowsIsNotReportedAsMissing) {
  auto lines = not_judged("```bash\n# tune_disks.sh\necho hi\n```\n```bash\n./tune_disks.sh\n```\n");
  EXPECT_EQ(lines.count(6), 0u);
}

TEST(Lines, AShellVariableTheScriptReadsLaterIsItsOwn) {
  auto lines = not_judged("```bash\nINTERFACE=eth0\nethtool -K $INTERFACE gro on\nUNUSED_KNOB=1\n```\n");
  EXPECT_EQ(lines.count(2), 0u);
  EXPECT_EQ(lines[4], "unknown-variable");
}

// 000 lines 1463-1520 (nginx), 002 lines 385-404 (postgresql.conf in a yaml fence), 003 line 184 (SQL).
TEST(Lines, ApplicationConfigurationIsCountedNotJudged) {
  auto lines = not_judged("```nginx\nworker_processes auto;\nevents {\n    worker_connections 4096;\n}\n"
                          "log_format main '$remote_addr'\n    '$status';\n```\n"
                          "```sql\nALTER SYSTEM SET shared_buffers = '4GB';\nCREATE INDEX i ON t (c);\n```\n");
  EXPECT_EQ(lines[2], "application-config");
  EXPECT_EQ(lines.count(3), 0u);  // a block opens
  EXPECT_EQ(lines[4], "application-config");
  EXPECT_EQ(lines[6], "application-config");
  EXPECT_EQ(lines.count(7), 0u);  // the rest of the directive on line 6
  EXPECT_EQ(lines[10], "application-config");
  EXPECT_EQ(lines.count(11), 0u);  // schema, not configuration
}

// 001 lines 89-105 are benchmark figures in a yaml fence; 000 lines 1526-1629 a Kubernetes manifest.
TEST(Lines, YamlFiguresAreNotConfigurationButManifestsAre) {
  auto figures = not_judged("```yaml\nBenchmark Results (H100 GPU):\n  Average Latency: 12ms\n  P95 Latency: 28ms\n```\n");
  EXPECT_TRUE(figures.empty());
  auto manifest = not_judged("```yaml\napiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 3\n```\n");
  EXPECT_EQ(manifest[2], "application-config");
  EXPECT_EQ(manifest.count(4), 0u);  // a mapping opens
  EXPECT_EQ(manifest[5], "application-config");
}

TEST(Lines, ProseAndProgramCodeAreNotConfiguration) {
  auto lines = not_judged("Set the governor to performance = fast.\n```python\nthreads = 4\nimport os\n```\n"
                          "```mermaid\ngraph TD; A-->B\n```\n");
  EXPECT_TRUE(lines.empty());
  // A program setting an environment variable tune does not know is counted.
  auto environment = not_judged("```python\nos.environ[\"MY_APP_MODE\"] = \"fast\"\n```\n");
  EXPECT_EQ(environment[2], "unknown-variable");
}

// 000 lines 1930-1956: a unit written by the guide.
TEST(Lines, UnitDirectivesTuneDoesNotJudgeAreCounted) {
  auto lines = not_judged("sudo tee /etc/systemd/system/ollama-optimized.service > /dev/null << 'EOF'\n[Service]\n"
                          "Restart=always\nLimitNOFILE=65536\nEOF\n",
                          "setup.sh");
  EXPECT_EQ(lines.count(1), 0u);  // the heredoc's lines are accounted one by one
  EXPECT_EQ(lines.count(2), 0u);
  EXPECT_EQ(lines[3], "unit-directive");
  EXPECT_EQ(lines.count(4), 0u);  // judged: a limit tune knows
}

// 000 lines 140-143.
TEST(Lines, StepsOfASwapFileAreCountedAgainstIt) {
  auto lines = not_judged("sudo fallocate -l 8G /swapfile\nsudo chmod 600 /swapfile\nsudo mkswap /swapfile\n", "swap.sh");
  EXPECT_EQ(lines[2], "step-of-setting");
  EXPECT_EQ(lines[3], "step-of-setting");
  EXPECT_EQ(lines.count(1), 0u);  // judged: the swap file's size
}

TEST(Lines, APlainFileIsReadInTheLanguageItsNameSays) {
  auto compose = not_judged("services:\n  api:\n    image: nginx:alpine\n", "docker-compose.yml");
  EXPECT_EQ(compose[3], "application-config");
  auto unit = not_judged("[Service]\nRestart=always\n", "ollama.service");
  EXPECT_EQ(unit[2], "unit-directive");
}

TEST(Lines, TheSummaryAddsUp) {
  auto findings = audit_text("vm.swappiness = 10\nsudo sysctl -p\nsysctl -w vm.swappiness=10 vm.no_such_key=1\n", "a.sh", nullptr);
  Summary summary = summarize(findings);
  EXPECT_EQ(summary.lines, 3);
  EXPECT_EQ(summary.judged_lines, 2);  // line 3 has a judged setting beside an unknown key
  EXPECT_EQ(summary.not_judged_lines, 1);
  EXPECT_EQ(summary.not_judged.at("loads-file"), 1);
  EXPECT_EQ(summary.judged_lines + summary.not_judged_lines, summary.lines);
}

}  // namespace
}  // namespace tune::audit
