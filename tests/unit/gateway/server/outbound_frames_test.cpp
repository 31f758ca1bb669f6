// OutboundFrames: RFC 6455 server frame headers for each payload length class, gathering from the front after
// partial writes (mid-header, mid-payload), shared payloads, and the byte count.
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "gateway/server/outbound_frames.h"

namespace aw::gateway {
namespace {

// Everything gather() offers, concatenated.
std::string pending_bytes(const OutboundFrames& frames, std::size_t max_buffers = 64) {
  std::vector<asio::const_buffer> buffers;
  frames.gather(buffers, max_buffers);
  std::string out;
  for (const auto& b : buffers) out.append(static_cast<const char*>(b.data()), b.size());
  return out;
}

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

BOOST_AUTO_TEST_SUITE(outbound_frames)

BOOST_AUTO_TEST_CASE(headers_follow_the_three_length_classes) {
  OutboundFrames small;
  small.push(FrameOpcode::text, "hi");
  BOOST_TEST(pending_bytes(small) == bytes({0x81, 2}) + "hi");

  OutboundFrames medium;
  medium.push(FrameOpcode::text, std::string(300, 'x'));
  BOOST_TEST(pending_bytes(medium).substr(0, 4) == bytes({0x81, 126, 0x01, 0x2C}));
  BOOST_TEST(medium.bytes() == 304u);

  OutboundFrames large;
  large.push(FrameOpcode::text, std::string(70000, 'y'));
  BOOST_TEST(pending_bytes(large).substr(0, 10) == bytes({0x81, 127, 0, 0, 0, 0, 0, 0x01, 0x11, 0x70}));

  OutboundFrames control;
  control.push(FrameOpcode::close, bytes({0x03, 0xE8}));
  control.push(FrameOpcode::ping, "");
  control.push(FrameOpcode::pong, "p");
  BOOST_TEST(pending_bytes(control) == bytes({0x88, 2, 0x03, 0xE8, 0x89, 0, 0x8A, 1}) + "p");
}

BOOST_AUTO_TEST_CASE(partial_writes_resume_mid_header_and_mid_payload) {
  OutboundFrames frames;
  frames.push_raw("HTTP/1.1 101\r\n\r\n");
  frames.push(FrameOpcode::text, std::string(200, 'a'));
  frames.push(FrameOpcode::text, "b");
  const std::string all = pending_bytes(frames);
  BOOST_TEST(frames.bytes() == all.size());

  std::size_t sent = 0;
  for (std::size_t step : {5u, 13u, 1u, 2u, 150u, 40u}) {  // ends inside the first header, then payloads
    frames.consume(step);
    sent += step;
    BOOST_TEST(pending_bytes(frames) == all.substr(sent));
    BOOST_TEST(frames.bytes() == all.size() - sent);
  }
  frames.consume(all.size() - sent);
  BOOST_TEST(frames.empty());
  BOOST_TEST(frames.bytes() == 0u);
  BOOST_TEST(pending_bytes(frames).empty());
}

BOOST_AUTO_TEST_CASE(shared_payloads_are_not_copied_and_buffers_are_capped) {
  auto shared = std::make_shared<const std::string>("event");
  OutboundFrames frames;
  for (int i = 0; i < 10; ++i) frames.push_shared(FrameOpcode::text, shared);
  std::vector<asio::const_buffer> buffers;
  BOOST_TEST(frames.gather(buffers, 7) == 6u);  // whole frames only: header and payload together
  BOOST_TEST(buffers[1].data() == static_cast<const void*>(shared->data()));
  frames.consume(frames.bytes());
  BOOST_TEST(frames.empty());
  BOOST_TEST(shared.use_count() == 1);  // written frames let go of their payloads
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway
