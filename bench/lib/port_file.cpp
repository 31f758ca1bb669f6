// Atomic port-file writer (see port_file.h).
#include "bench/lib/port_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace aw::bench {

Status write_port_file(const std::string& path, std::uint16_t port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Status::internal("port file " + tmp + ": cannot open for writing");
    out << port << '\n';
    out.flush();
    if (!out) return Status::internal("port file " + tmp + ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::internal("port file " + path + ": rename failed: " + std::strerror(errno));
  }
  return Status::ok();
}

}  // namespace aw::bench
