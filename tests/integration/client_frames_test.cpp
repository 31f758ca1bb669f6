// Client frames and bad input (ws-protocol.md §2, §4.1, §3.4, §3.5): ping/pong, requestId echo, every malformed
// frame answered with one error frame while the connection stays usable, binary frames handled as text, and the two
// inputs that close: invalid UTF-8 (1007) and an oversized frame (1009).
#include <boost/test/unit_test.hpp>

#include "common/time_util.h"
#include "tests/integration/assertions.h"

namespace aw::test {
namespace {

constexpr std::size_t kFrameLimit = 8192;

struct FramesFixture : GatewayFixture {
  GatewayProcess& gateway = shared("frames", {{"AW_MAX_FRAME_BYTES", std::to_string(kFrameLimit)}});
  std::unique_ptr<WsTestClient> client = connect(gateway);
};

// Sends `text`, requires one error frame with code and text, then proves the connection still works.
void expect_error_and_usable(WsTestClient& client, const std::string& text, const std::string& code,
                             const std::string& error_text) {
  BOOST_TEST_CONTEXT("input " << text) {
    auto error = send_expecting_error(client, text);
    AW_REQUIRE_OK(error);
    check_error_frame(*error, code, error_text);
    BOOST_TEST(ping_pong(client), "connection unusable after bad input");
    BOOST_TEST(client.is_open());
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(client_frames, FramesFixture)

BOOST_AUTO_TEST_CASE(ping_is_answered_with_pong_and_epoch_ms_timestamp) {
  const EpochMs before = now_ms();
  AW_REQUIRE_OK(client->send_text(R"({"type":"ping","timestamp":"ignored"})"));
  auto pong = client->wait_for(has_type("pong"));
  BOOST_REQUIRE(pong.has_value());
  const std::int64_t ts = int_of(*pong, "timestamp");
  BOOST_TEST(ts >= before - 1000);
  BOOST_TEST(ts <= now_ms() + 1000);
}

BOOST_AUTO_TEST_CASE(request_id_is_echoed_as_string_and_as_number) {
  AW_REQUIRE_OK(client->send_text(R"({"type":"ping","requestId":"p-1"})"));
  auto pong = client->wait_for(has_type("pong"));
  BOOST_REQUIRE(pong.has_value());
  BOOST_TEST(str_of(*pong, "requestId") == "p-1");

  AW_REQUIRE_OK(client->send_text(R"({"type":"command","requestId":42,"payload":{"command":"list-worlds"}})"));
  auto status = client->wait_for(has_status("success"));
  BOOST_REQUIRE(status.has_value());
  BOOST_TEST(int_of(*status, "requestId") == 42);

  // Errors echo it too.
  auto error = send_expecting_error(*client, R"({"type":"subscribe","requestId":"s-9"})");
  AW_REQUIRE_OK(error);
  BOOST_TEST(str_of(*error, "requestId") == "s-9");
  auto unknown = send_expecting_error(*client, R"({"type":"fly","requestId":7})");
  AW_REQUIRE_OK(unknown);
  BOOST_TEST(int_of(*unknown, "requestId") == 7);
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_is_bad_json) {
  expect_error_and_usable(*client, "hello there", "bad_json", "Invalid message format");
  expect_error_and_usable(*client, R"({"type":"ping")", "bad_json", "Invalid message format");
  expect_error_and_usable(*client, "", "bad_json", "Invalid message format");
}

BOOST_AUTO_TEST_CASE(json_that_is_not_an_object_is_bad_json) {
  for (const char* text : {"[1,2,3]", "\"ping\"", "42", "null", "true"}) {
    expect_error_and_usable(*client, text, "bad_json", "Invalid message format");
  }
}

BOOST_AUTO_TEST_CASE(deeply_nested_json_is_refused_without_closing) {
  std::string deep = R"({"type":"ping","x":)";
  for (int i = 0; i < 200; ++i) deep += "[";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "}";
  expect_error_and_usable(*client, deep, "bad_json", "Invalid message format");
}

BOOST_AUTO_TEST_CASE(missing_type_is_unknown_type_undefined) {
  expect_error_and_usable(*client, "{}", "unknown_type", "Unknown message type: undefined");
  expect_error_and_usable(*client, R"({"worldId":"w","payload":{}})", "unknown_type",
                          "Unknown message type: undefined");
}

BOOST_AUTO_TEST_CASE(unknown_type_names_the_type) {
  expect_error_and_usable(*client, R"({"type":"dance"})", "unknown_type", "Unknown message type: dance");
  expect_error_and_usable(*client, R"({"type":"pong"})", "unknown_type", "Unknown message type: pong");
  // A non-string type is also unknown_type (the text shows what was sent).
  auto error = send_expecting_error(*client, R"({"type":5})");
  AW_REQUIRE_OK(error);
  BOOST_TEST(str_of(*error, "code") == "unknown_type");
  BOOST_TEST(str_of(*error, "error").rfind("Unknown message type: ", 0) == 0u);
  BOOST_TEST(ping_pong(*client));
}

BOOST_AUTO_TEST_CASE(subscribe_with_missing_or_mistyped_fields_is_invalid_request) {
  for (const char* text :
       {R"({"type":"subscribe"})", R"({"type":"subscribe","worldId":""})", R"({"type":"subscribe","worldId":5})",
        R"({"type":"subscribe","worldId":null})", R"({"type":"subscribe","worldId":"w","chatId":7})",
        R"({"type":"subscribe","worldId":"w","fromSeq":-1})", R"({"type":"subscribe","worldId":"w","fromSeq":"later"})",
        R"({"type":"subscribe","worldId":"w","seq":1.5})", R"({"type":"subscribe","worldId":"w","epoch":12})"}) {
    expect_error_and_usable(*client, text, "invalid_request", "Invalid subscribe request");
  }
}

BOOST_AUTO_TEST_CASE(unsubscribe_with_mistyped_fields_is_invalid_request) {
  for (const char* text :
       {R"({"type":"unsubscribe","worldId":5})", R"({"type":"unsubscribe","worldId":"w","chatId":[1]})"}) {
    expect_error_and_usable(*client, text, "invalid_request", "Invalid unsubscribe request");
  }
}

BOOST_AUTO_TEST_CASE(message_with_missing_or_mistyped_fields_is_invalid_request) {
  const std::string too_long_id(129, 'm');
  for (const std::string& text : std::vector<std::string>{
           R"({"type":"message","messageId":"m1","payload":{"content":"x"}})",
           R"({"type":"message","worldId":"w","payload":{"content":"x"}})",
           R"({"type":"message","worldId":"w","messageId":""})", R"({"type":"message","worldId":"w","messageId":7})",
           R"({"type":"message","worldId":"w","messageId":")" + too_long_id + R"("})",
           R"({"type":"message","worldId":"w","messageId":"m1","payload":{"content":5}})",
           R"({"type":"message","worldId":"w","messageId":"m1","payload":{"sender":false}})",
           R"({"type":"message","worldId":"w","messageId":"m1","payload":"text"})",
           R"({"type":"message","worldId":5,"messageId":"m1"})"}) {
    expect_error_and_usable(*client, text, "invalid_request", "Invalid message request");
  }
}

BOOST_AUTO_TEST_CASE(command_without_a_command_name_is_no_command_specified) {
  for (const char* text : {R"({"type":"command"})", R"({"type":"command","payload":{}})",
                           R"({"type":"command","payload":{"command":5}})", R"({"type":"command","payload":"x"})"}) {
    expect_error_and_usable(*client, text, "invalid_request", "No command specified");
  }
}

BOOST_AUTO_TEST_CASE(command_with_non_object_params_is_invalid_params) {
  for (const char* params : {R"("x")", "[]", "7"}) {
    const std::string request_id = next_request_id();
    AW_REQUIRE_OK(client->send_text(R"({"type":"command","requestId":")" + request_id +
                                    R"(","payload":{"command":"list-worlds","params":)" + params + "}}"));
    auto reply = await_command_reply(*client, request_id);
    AW_REQUIRE_OK(reply);
    check_failure_reply(*reply, "list-worlds", "invalid_request", "Invalid params for list-worlds");
  }
  BOOST_TEST(ping_pong(*client));
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_ignored) {
  AW_REQUIRE_OK(client->send_text(R"({"type":"ping","extra":{"nested":[1,2]},"worldId":"whatever"})"));
  BOOST_TEST(client->wait_for(has_type("pong")).has_value());
  auto reply = run_command(*client, "list-worlds", JsonObject().set("unused", true));
  AW_REQUIRE_OK(reply);
  BOOST_TEST(reply->ok());
}

BOOST_AUTO_TEST_CASE(binary_frames_are_handled_as_text) {
  AW_REQUIRE_OK(client->send_binary(R"({"type":"ping","requestId":"bin-1"})"));
  auto pong = client->wait_for(has_type("pong"));
  BOOST_REQUIRE(pong.has_value());
  BOOST_TEST(str_of(*pong, "requestId") == "bin-1");

  AW_REQUIRE_OK(client->send_binary(R"({"type":"command","requestId":"bin-2","payload":{"command":"list-worlds"}})"));
  auto status = client->wait_for(has_request_id("bin-2"));
  BOOST_REQUIRE(status.has_value());
  BOOST_TEST(status->status() == "success");

  AW_REQUIRE_OK(client->send_binary("not json"));
  auto error = client->wait_for(has_type("error"));
  BOOST_REQUIRE(error.has_value());
  check_error_frame(*error, "bad_json", "Invalid message format");
  BOOST_TEST(ping_pong(*client));
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_a_text_frame_closes_1007) {
  BOOST_REQUIRE(ping_pong(*client));
  AW_REQUIRE_OK(client->send_raw_frame(0x1, "{\"type\":\"ping\",\"x\":\"\xff\xfe\xc0\xaf\"}"));
  auto closed = client->wait_closed();
  BOOST_REQUIRE_MESSAGE(closed.has_value(), "connection not closed after invalid UTF-8");
  BOOST_TEST(closed->remote_code == 1007);
  // The gateway itself is unaffected.
  auto other = connect(gateway);
  BOOST_TEST(ping_pong(*other));
}

BOOST_AUTO_TEST_CASE(frame_at_the_limit_is_accepted) {
  std::string frame = R"({"type":"ping","requestId":"edge","pad":"")";
  frame += "}";
  const std::size_t fill = kFrameLimit - frame.size();
  frame.insert(frame.size() - 2, std::string(fill, 'x'));
  BOOST_REQUIRE(frame.size() == kFrameLimit);
  AW_REQUIRE_OK(client->send_text(frame));
  auto pong = client->wait_for(has_type("pong"));
  BOOST_REQUIRE_MESSAGE(pong.has_value(), "a frame of exactly AW_MAX_FRAME_BYTES was not answered");
  BOOST_TEST(str_of(*pong, "requestId") == "edge");
}

BOOST_AUTO_TEST_CASE(oversized_frame_closes_1009) {
  std::string frame = R"({"type":"ping","pad":")" + std::string(kFrameLimit, 'x') + R"("})";
  AW_REQUIRE_OK(client->send_text(frame));
  auto closed = client->wait_closed();
  BOOST_REQUIRE_MESSAGE(closed.has_value(), "connection not closed after an oversized frame");
  BOOST_TEST(closed->remote_code == 1009);
  // MAY come first: error frame_too_large naming the limit (§3.4).
  for (const Frame& f : client->take_queued()) {
    if (f.type() == "error") check_error_frame(f, "frame_too_large", "Frame exceeds 8192 bytes");
  }
  auto other = connect(gateway);
  BOOST_TEST(ping_pong(*other));
}

BOOST_AUTO_TEST_CASE(pipelined_frames_are_answered_in_arrival_order) {
  AW_REQUIRE_OK(create_world(*client, "Pipeline World"));
  // Thirty frames of mixed kinds sent back to back, without waiting: the answers come in the same order (§1).
  std::vector<std::string> sent;
  for (int i = 0; i < 30; ++i) {
    const std::string id = "pipe-" + std::to_string(i);
    JsonObject frame;
    switch (i % 5) {
      case 0:
        frame.set("type", "ping");
        break;
      case 1:
        frame.set("type", "command").set("payload", JsonObject().set("command", "list-worlds"));
        break;
      case 2:
        frame.set("type", "subscribe").set("worldId", "pipeline-world");
        break;
      case 3:
        frame.set("type", "message").set("worldId", "pipeline-world").set("messageId", id);
        break;
      default:
        frame.set("type", "command")
            .set("worldId", "pipeline-world")
            .set("payload", JsonObject().set("command", "no-such-command"));
        break;
    }
    frame.set("requestId", id);
    AW_REQUIRE_OK(client->send_text(frame.str()));
    sent.push_back(id);
  }
  std::vector<std::string> answered;
  while (answered.size() < sent.size()) {
    // The first frame of each request (an unknown command answers with two; the second is skipped).
    auto next = client->wait_for([](const Frame& f) { return f.string_at("requestId").has_value(); });
    BOOST_REQUIRE_MESSAGE(next.has_value(), "only " << answered.size() << " answers arrived");
    const std::string id = str_of(*next, "requestId");
    if (!answered.empty() && answered.back() == id) continue;
    answered.push_back(id);
  }
  BOOST_TEST(answered == sent, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(control_pings_from_the_client_get_control_pongs) {
  const std::uint64_t before = client->pongs_received();
  AW_REQUIRE_OK(client->send_ping("are-you-there"));
  BOOST_TEST(wait_until([&] { return client->pongs_received() > before; }));
  BOOST_TEST(ping_pong(*client));
}

BOOST_AUTO_TEST_CASE(protocol_closes_are_counted_on_metrics) {
  const double before_1007 = read_metric(gateway, "agentworld_ws_closes_total", {{"code", "1007"}}).value_or(0);
  const double before_1009 = read_metric(gateway, "agentworld_ws_closes_total", {{"code", "1009"}}).value_or(0);
  {
    auto bad_utf8 = connect(gateway);
    AW_REQUIRE_OK(bad_utf8->send_raw_frame(0x1, "\xc3\x28"));
    BOOST_REQUIRE(bad_utf8->wait_closed().has_value());
    auto too_big = connect(gateway);
    AW_REQUIRE_OK(too_big->send_text(std::string(kFrameLimit + 1, ' ')));
    BOOST_REQUIRE(too_big->wait_closed().has_value());
  }
  BOOST_TEST(wait_until([&] {
    return read_metric(gateway, "agentworld_ws_closes_total", {{"code", "1007"}}).value_or(0) >= before_1007 + 1;
  }));
  BOOST_TEST(wait_until([&] {
    return read_metric(gateway, "agentworld_ws_closes_total", {{"code", "1009"}}).value_or(0) >= before_1009 + 1;
  }));
}

BOOST_AUTO_TEST_CASE(every_client_frame_type_gets_its_answer) {
  // ping -> pong, auth (AW_AUTH=off) -> authenticated admin, subscribe -> subscribed, message -> queued or error,
  // command -> status, unsubscribe -> unsubscribed.
  BOOST_TEST(ping_pong(*client));
  auto auth = request(*client, JsonObject().set("type", "auth").set("payload", JsonObject().set("token", "x")));
  AW_REQUIRE_OK(auth);
  BOOST_TEST(auth->status() == "authenticated");
  BOOST_TEST(str_of(*auth, "payload.role") == "admin");
  BOOST_TEST(auth->json_at("payload.worlds") == R"(["*"])");
  AW_REQUIRE_OK(create_world(*client, "Frame Types World"));
  require_subscribed(*client, "frame-types-world");
  require_queued(*client, "frame-types-world", "frame-types-m1");
  auto unsub = unsubscribe(*client, JsonObject().set("worldId", "frame-types-world"));
  AW_REQUIRE_OK(unsub);
  BOOST_TEST(unsub->status() == "unsubscribed");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
