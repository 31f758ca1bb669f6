// VmRSS reader (see proc_status.h).
#include "bench/lib/proc_status.h"

#include <fstream>
#include <sstream>
#include <string>

namespace aw::bench {

Result<std::int64_t> read_vm_rss_kib(std::int64_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/status";
  std::ifstream in(path);
  if (!in) return Status::error("not_found", path + ": cannot open (is the process running?)");
  std::string line;
  while (std::getline(in, line)) {
    // The line reads "VmRSS:\t   12345 kB".
    if (line.compare(0, 6, "VmRSS:") != 0) continue;
    std::istringstream fields(line.substr(6));
    std::int64_t kib = -1;
    std::string unit;
    fields >> kib >> unit;
    if (kib < 0 || unit != "kB") return Status::internal(path + ": unexpected VmRSS line: " + line);
    return kib;
  }
  return Status::error("not_found", path + ": no VmRSS line (zombie or kernel thread?)");
}

}  // namespace aw::bench
