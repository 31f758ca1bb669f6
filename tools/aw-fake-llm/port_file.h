// Writing the bound port for whoever started aw-fake-llm: "<port>\n" into a temporary file renamed over the
// target, so a reader sees either no file or the whole line, never a partial write.
// Thread-safety: free function.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace aw::fake_llm {

Status write_port_file(const std::string& path, std::uint16_t port);

}  // namespace aw::fake_llm
