// Tests of bench/lib/request_frames: the frames are valid protocol JSON, and replies are classified the way
// aw-gateway (ws-protocol.md §4.6) and the echo server answer.
#include "bench/lib/request_frames.h"

#include <boost/test/unit_test.hpp>

#include "common/json.h"

namespace aw::bench {
namespace {

BOOST_AUTO_TEST_SUITE(request_frames)

BOOST_AUTO_TEST_CASE(command_request_is_a_protocol_command_frame) {
  auto doc = json::parse_untrusted(command_request("list-worlds", "r7"));
  BOOST_REQUIRE(doc.is_ok());
  BOOST_TEST(json::get_string(doc.value(), "type").value_or("") == "command");
  BOOST_TEST(json::get_string(doc.value(), "requestId").value_or("") == "r7");
  const json::Value* payload = json::find(doc.value(), "payload");
  BOOST_REQUIRE(payload != nullptr);
  BOOST_TEST(json::get_string(*payload, "command").value_or("") == "list-worlds");
}

BOOST_AUTO_TEST_CASE(create_world_request_escapes_the_name) {
  auto doc = json::parse_untrusted(create_world_request("a \"quoted\" world", "s1"));
  BOOST_REQUIRE(doc.is_ok());
  const json::Value* payload = json::find(doc.value(), "payload");
  BOOST_REQUIRE(payload != nullptr);
  BOOST_TEST(json::get_string(*payload, "command").value_or("") == "create-world");
  const json::Value* params = json::find(*payload, "params");
  BOOST_REQUIRE(params != nullptr);
  BOOST_TEST(json::get_string(*params, "name").value_or("") == "a \"quoted\" world");
}

BOOST_AUTO_TEST_CASE(gateway_success_is_an_answer) {
  const std::string reply =
      R"({"type":"status","requestId":"r7","payload":{"status":"success","command":"list-worlds","data":[]},)"
      R"("timestamp":1})";
  BOOST_TEST(static_cast<int>(classify_reply(reply, "r7")) == static_cast<int>(ReplyKind::Answer));
  BOOST_TEST(static_cast<int>(classify_reply(reply, "")) == static_cast<int>(ReplyKind::Answer));
}

BOOST_AUTO_TEST_CASE(echoed_request_is_an_answer) {
  BOOST_TEST(static_cast<int>(classify_reply(command_request("list-worlds", "r7"), "r7")) ==
             static_cast<int>(ReplyKind::Answer));
}

BOOST_AUTO_TEST_CASE(command_failure_pair_is_error_frame_then_failed_answer) {
  const std::string error =
      R"({"type":"error","error":"Unknown command: x","code":"unknown_command","requestId":"r1"})";
  const std::string status =
      R"({"type":"status","requestId":"r1","payload":{"status":"error","command":"x","code":"unknown_command"}})";
  BOOST_TEST(static_cast<int>(classify_reply(error, "r1")) == static_cast<int>(ReplyKind::ErrorFrame));
  BOOST_TEST(static_cast<int>(classify_reply(status, "r1")) == static_cast<int>(ReplyKind::FailedAnswer));
}

BOOST_AUTO_TEST_CASE(other_request_ids_are_unrelated) {
  const std::string reply = R"({"type":"status","requestId":"r12","payload":{"status":"success"}})";
  BOOST_TEST(static_cast<int>(classify_reply(reply, "r1")) == static_cast<int>(ReplyKind::Unrelated));
  const std::string broadcast = R"({"type":"event","worldId":"w","seq":3,"payload":{}})";
  BOOST_TEST(static_cast<int>(classify_reply(broadcast, "")) == static_cast<int>(ReplyKind::Unrelated));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::bench
