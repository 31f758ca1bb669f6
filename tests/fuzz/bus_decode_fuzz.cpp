// libFuzzer target: the bus decoder (common/bus/bus_codec.h), the edge for untrusted bodies from processors. The
// input is `<topic>\n<body>` (no newline: empty topic). Properties besides crashes and sanitizer reports (each traps):
// - a failure's code is a drop reason ("invalid" or "version");
// - a decoded message re-encodes to a frame on the same topic that decodes again (encode() never fails and its
//   output is valid input).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/bus/bus_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view topic = newline == std::string_view::npos ? std::string_view() : input.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? input : input.substr(newline + 1);

  auto decoded = aw::bus::decode(topic, body);
  if (!decoded.is_ok()) {
    const std::string& code = decoded.status().code();
    if (code != aw::bus::kDropInvalid && code != aw::bus::kDropVersion) __builtin_trap();
    return 0;
  }
  const aw::bus::Frame frame = aw::bus::encode(*decoded);
  if (frame.topic != topic) __builtin_trap();
  if (!aw::bus::decode(frame.topic, frame.body).is_ok()) __builtin_trap();
  return 0;
}
