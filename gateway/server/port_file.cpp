// The port-discovery file (see port_file.h).
#include "gateway/server/port_file.h"

#include <cstdio>

namespace aw::gateway {

Status write_port_file(const std::string& path, std::uint16_t port) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return Status::error("listen_failed", "cannot write AW_PORT_FILE '" + tmp + "'");
  const std::string text = std::to_string(port) + "\n";
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::error("listen_failed", "cannot write AW_PORT_FILE '" + path + "'");
  }
  return Status::ok();
}

}  // namespace aw::gateway
