// Server frame encoding: shapes of ws-protocol.md §4.3–§4.6, §5.1, §5.4; absent fields left out; valid UTF-8.
#include <boost/test/unit_test.hpp>

#include <string>

#include "common/json.h"
#include "gateway/protocol/server_frames.h"

namespace aw::gateway::protocol {
namespace {

constexpr EpochMs kNow = 1730000000000;

json::Document parse(const std::string& text) {
  auto doc = json::parse_untrusted(text);
  BOOST_REQUIRE_MESSAGE(doc.is_ok(), "not JSON: " << text);
  return std::move(doc).value();
}

RequestId rid(std::string json_text) { return RequestId{std::move(json_text)}; }

std::string str_at(const json::Value& v, const char* key) { return json::get_string(v, key).value_or("<absent>"); }

const json::Value& payload(const json::Document& d) {
  const json::Value* p = json::find(d, "payload");
  BOOST_REQUIRE(p != nullptr && p->IsObject());
  return *p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_frames)

BOOST_AUTO_TEST_CASE(pong_has_timestamp_and_echoes_request_id) {
  BOOST_TEST(encode_pong(RequestId{}, kNow) == R"({"type":"pong","timestamp":1730000000000})");
  BOOST_TEST(encode_pong(rid("7"), kNow) == R"({"type":"pong","requestId":7,"timestamp":1730000000000})");
}

BOOST_AUTO_TEST_CASE(error_frame_leaves_out_unknown_fields) {
  ErrorInfo e;
  e.code = "bad_json";
  e.text = "Invalid message format";
  BOOST_TEST(encode_error(e, kNow) ==
             R"({"type":"error","error":"Invalid message format","code":"bad_json","timestamp":1730000000000})");
  e.request_id = rid("\"r3\"");
  e.world_id = "x";
  e.message_id = "m";
  e.chat_id = "c";
  e.details = "20";
  auto d = parse(encode_error(e, kNow));
  BOOST_TEST(str_at(d, "requestId") == "r3");
  BOOST_TEST(str_at(d, "worldId") == "x");
  BOOST_TEST(str_at(d, "messageId") == "m");
  BOOST_TEST(str_at(d, "chatId") == "c");
  BOOST_TEST(str_at(d, "details") == "20");
  BOOST_TEST(json::find(d, "command") == nullptr);
}

BOOST_AUTO_TEST_CASE(failure_of_a_non_command_is_one_frame) {
  ErrorInfo e;
  e.code = "invalid_request";
  e.text = "Invalid subscribe request";
  BOOST_TEST(encode_failure(e, kNow).size() == 1u);
}

BOOST_AUTO_TEST_CASE(failure_of_a_command_is_the_error_pair) {
  ErrorInfo e;
  e.code = "world_not_found";
  e.text = "Command execution failed: World 'x' not found";
  e.command = "export-world";
  e.world_id = "x";
  e.request_id = rid("\"r4\"");
  auto frames = encode_failure(e, kNow);
  BOOST_REQUIRE(frames.size() == 2u);
  auto error = parse(frames[0]);
  BOOST_TEST(str_at(error, "type") == "error");
  BOOST_TEST(str_at(error, "error") == e.text);
  BOOST_TEST(str_at(error, "code") == "world_not_found");
  BOOST_TEST(str_at(error, "command") == "export-world");
  BOOST_TEST(str_at(error, "requestId") == "r4");
  auto status = parse(frames[1]);
  BOOST_TEST(str_at(status, "type") == "status");
  BOOST_TEST(str_at(status, "worldId") == "x");
  BOOST_TEST(str_at(status, "requestId") == "r4");
  BOOST_TEST(json::get_int(status, "timestamp").value_or(0) == kNow);
  BOOST_TEST(str_at(payload(status), "status") == "error");
  BOOST_TEST(str_at(payload(status), "command") == "export-world");
  BOOST_TEST(str_at(payload(status), "message") == e.text);
  BOOST_TEST(str_at(payload(status), "code") == "world_not_found");
}

BOOST_AUTO_TEST_CASE(command_success_shape) {
  BOOST_TEST(
      encode_command_success("list-agents", "Found 0 agent(s)", "[]", std::string("w"), rid("\"r\""), kNow) ==
      R"js({"type":"status","worldId":"w","requestId":"r","payload":{"status":"success","command":"list-agents",)js"
      R"js("message":"Found 0 agent(s)","data":[]},"timestamp":1730000000000})js");
  auto no_world = parse(encode_command_success("list-worlds", "m", "", std::nullopt, RequestId{}, kNow));
  BOOST_TEST(json::find(no_world, "worldId") == nullptr);
  BOOST_TEST(json::find(no_world, "requestId") == nullptr);
  BOOST_TEST(json::find(payload(no_world), "data")->IsNull());
}

BOOST_AUTO_TEST_CASE(command_success_escapes_its_strings_and_keeps_data_verbatim) {
  // Quotes, control characters and invalid UTF-8 in the echoed strings are escaped as JsonBuilder escapes them;
  // a negative timestamp and a large data value are written in full.
  const std::string data = "[\"" + std::string(5000, 'x') + "\"]";
  const std::string text =
      encode_command_success("c\"md", "line\nbreak \xff", data, std::string("w\t1"), rid("{\"k\":1}"), -5);
  BOOST_TEST(text == R"js({"type":"status","worldId":"w\t1","requestId":{"k":1},"payload":{"status":"success",)js"
                     R"js("command":"c\"md","message":"line\nbreak �","data":)js" +
                         data + R"js(},"timestamp":-5})js");
  BOOST_TEST(json::is_valid_utf8(text));
  auto d = parse(text);
  BOOST_TEST(str_at(payload(d), "command") == "c\"md");
  BOOST_TEST(json::get_int(d, "timestamp").value_or(0) == -5);
}

BOOST_AUTO_TEST_CASE(subscribed_ack_shape) {
  SubscribedAck ack;
  ack.world_id = "My World";
  ack.chat_id = "chat-1";
  ack.request_id = rid("\"r1\"");
  ack.latest_seq = 57;
  ack.epoch = "Zx81";
  ack.recovered = true;
  ack.replay_count = 3;
  BOOST_TEST(encode_subscribed(ack, kNow) ==
             R"({"type":"status","worldId":"My World","chatId":"chat-1","requestId":"r1","payload":{"status":)"
             R"("subscribed","seq":57,"epoch":"Zx81","latestSeq":57,"recovered":true,"replayCount":3},)"
             R"("timestamp":1730000000000})");
  SubscribedAck unknown;
  unknown.world_id = "nope";
  unknown.warning = "World 'nope' not found";
  auto d = parse(encode_subscribed(unknown, kNow));
  BOOST_TEST(json::find(d, "chatId") == nullptr);
  BOOST_TEST(json::find(payload(d), "epoch") == nullptr);
  BOOST_TEST(json::get_int(payload(d), "seq").value_or(-1) == 0);
  BOOST_TEST(json::get_bool(payload(d), "recovered").value_or(true) == false);
  BOOST_TEST(str_at(payload(d), "warning") == "World 'nope' not found");
}

BOOST_AUTO_TEST_CASE(replay_complete_carries_the_flag_twice) {
  ReplayComplete rc;
  rc.world_id = "w";
  rc.seq = 10;
  rc.latest_seq = 12;
  rc.replayed = 4;
  rc.recovered = true;
  auto d = parse(encode_replay_complete(rc, kNow));
  BOOST_TEST(json::get_bool(d, "replayComplete").value_or(false));
  BOOST_TEST(str_at(payload(d), "status") == "replay-complete");
  BOOST_TEST(json::get_int(payload(d), "seq").value_or(0) == 10);
  BOOST_TEST(json::get_int(payload(d), "latestSeq").value_or(0) == 12);
  BOOST_TEST(json::get_int(payload(d), "replayed").value_or(0) == 4);
  BOOST_TEST(json::get_bool(payload(d), "replayComplete").value_or(false));
  BOOST_TEST(json::get_bool(payload(d), "recovered").value_or(false));
  BOOST_TEST(json::find(d, "chatId") == nullptr);
}

BOOST_AUTO_TEST_CASE(unsubscribed_shape) {
  auto d = parse(encode_unsubscribed(std::string("w:*"), std::nullopt, rid("\"r2\""), 2, std::nullopt, kNow));
  BOOST_TEST(str_at(d, "worldId") == "w:*");
  BOOST_TEST(json::find(d, "chatId") == nullptr);
  BOOST_TEST(json::get_int(payload(d), "removed").value_or(-1) == 2);
  BOOST_TEST(json::find(payload(d), "reason") == nullptr);
  auto deleted =
      parse(encode_unsubscribed(std::string("w"), std::nullopt, RequestId{}, 1, std::string("world-deleted"), kNow));
  BOOST_TEST(str_at(payload(deleted), "reason") == "world-deleted");
  auto nothing = parse(encode_unsubscribed(std::nullopt, std::nullopt, RequestId{}, 0, std::nullopt, kNow));
  BOOST_TEST(json::find(nothing, "worldId") == nullptr);
}

BOOST_AUTO_TEST_CASE(queued_shape) {
  QueuedAck ack;
  ack.world_id = "w";
  ack.message_id = "m1";
  BOOST_TEST(encode_queued(ack, kNow) ==
             R"({"type":"status","worldId":"w","messageId":"m1","payload":{"status":"queued"},)"
             R"("timestamp":1730000000000})");
  ack.duplicate = true;
  ack.state = "completed";
  ack.warning = "priority must be an integer; 0 used";
  ack.chat_id = "c";
  auto d = parse(encode_queued(ack, kNow));
  BOOST_TEST(str_at(d, "chatId") == "c");
  BOOST_TEST(json::get_bool(payload(d), "duplicate").value_or(false));
  BOOST_TEST(str_at(payload(d), "state") == "completed");
  BOOST_TEST(str_at(payload(d), "warning") == "priority must be an integer; 0 used");
}

BOOST_AUTO_TEST_CASE(authenticated_with_auth_off) {
  auto d = parse(encode_authenticated(Principal{}, RequestId{}, kNow));
  BOOST_TEST(str_at(payload(d), "status") == "authenticated");
  BOOST_TEST(str_at(payload(d), "role") == "admin");
  BOOST_TEST(json::find(payload(d), "subject") == nullptr);
  const json::Value* worlds = json::find(payload(d), "worlds");
  BOOST_REQUIRE(worlds != nullptr && worlds->IsArray() && worlds->Size() == 1u);
  BOOST_TEST(std::string((*worlds)[0].GetString()) == "*");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_never_reaches_the_wire) {
  ErrorInfo e;
  e.code = "x";
  e.text = "bad \xff\xfe bytes \xed\xa0\x80";
  const std::string text = encode_error(e, kNow);
  BOOST_TEST(json::is_valid_utf8(text));
  BOOST_TEST(str_at(parse(text), "error") == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::protocol
