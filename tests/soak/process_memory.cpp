// Resident memory from /proc (see process_memory.h).
#include "tests/soak/process_memory.h"

#include <cstdlib>
#include <fstream>
#include <string>

namespace aw::test {
namespace {

// The value of a "<field>:   1234 kB" line of /proc/<pid>/status, in bytes.
std::optional<std::int64_t> status_kib_field(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return std::nullopt;
  const std::string prefix = field + ":";
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, prefix.size(), prefix) != 0) continue;
    const long long kib = std::strtoll(line.c_str() + prefix.size(), nullptr, 10);
    if (kib <= 0) return std::nullopt;
    return static_cast<std::int64_t>(kib) * 1024;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> resident_bytes(pid_t pid) { return status_kib_field(pid, "VmRSS"); }

std::optional<std::int64_t> peak_resident_bytes(pid_t pid) { return status_kib_field(pid, "VmHWM"); }

}  // namespace aw::test
