// aw-processor: placeholder until the agent runtime lands (issue #3). It runs no agents and pretends nothing.
#include <cstdio>

int main() {
  std::fprintf(stderr,
               "aw-processor: the agent runtime is not built yet (issue #3); messages stay queued in the gateway.\n");
  return 1;
}
