// Test entry point: logs go to a null sink (tests assert on results, not on
// log lines), then GoogleTest runs.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

int main(int argc, char** argv) {
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()));
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
