// Resident memory of another process, from /proc/<pid>/status (Linux), for the soak test's "memory stays flat".
// Thread-safety: free functions; safe from any thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace aw::test {

// VmRSS of `pid` in bytes; nullopt when the process is gone or the line is missing.
std::optional<std::int64_t> resident_bytes(pid_t pid);
// VmHWM (the peak resident size since the process started) in bytes; nullopt as above.
std::optional<std::int64_t> peak_resident_bytes(pid_t pid);

}  // namespace aw::test
