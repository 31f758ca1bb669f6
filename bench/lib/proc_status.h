// Reading another process's memory use from /proc/<pid>/status (Linux only).
// Thread-safety: free function; reads a file, shares nothing.
#pragma once

#include <cstdint>

#include "common/status.h"

namespace aw::bench {

// Resident set size (the VmRSS line) of process pid, in KiB. Fails when the process does not exist, /proc is not
// readable, or the line is missing (a zombie has none).
Result<std::int64_t> read_vm_rss_kib(std::int64_t pid);

}  // namespace aw::bench
