// tune: entry point. All wiring lives in src/cli.
#include "cli/commands.h"

int main(int argc, char** argv) { return tune::cli::run(argc, argv); }
