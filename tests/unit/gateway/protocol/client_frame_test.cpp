// Client frame decoding: every field-type rule and error text of ws-protocol.md §2 and §4.
#include <boost/test/unit_test.hpp>

#include <string>
#include <variant>

#include "gateway/protocol/client_frame.h"

namespace aw::gateway::protocol {
namespace {

FrameError expect_error(std::string_view text) {
  DecodeResult r = decode_client_frame(text);
  BOOST_REQUIRE_MESSAGE(std::holds_alternative<FrameError>(r), "expected an error for " << text);
  return std::get<FrameError>(std::move(r));
}

ClientFrame expect_frame(std::string_view text) {
  DecodeResult r = decode_client_frame(text);
  if (auto* e = std::get_if<FrameError>(&r)) BOOST_FAIL("unexpected error '" << e->text << "' for " << text);
  return std::get<ClientFrame>(std::move(r));
}

template <typename T>
T body(std::string_view text) {
  ClientFrame f = expect_frame(text);
  BOOST_REQUIRE(std::holds_alternative<T>(f.body));
  return std::get<T>(std::move(f.body));
}

void check_error(std::string_view text, const std::string& code, const std::string& message) {
  BOOST_TEST_CONTEXT(text) {
    FrameError e = expect_error(text);
    BOOST_TEST(e.code == code);
    BOOST_TEST(e.text == message);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_frame)

BOOST_AUTO_TEST_CASE(non_json_and_non_objects_are_bad_json) {
  for (const char* text : {"not json", "", "[1,2]", "42", "\"ping\"", "{\"type\":\"ping\"", "{\"type\":\"ping\"} x",
                           "null", "{\"type\":\"\xff\"}"}) {
    check_error(text, "bad_json", "Invalid message format");
  }
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_bad_json_not_a_crash) {
  std::string deep = "{\"type\":\"ping\",\"x\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  check_error(deep, "bad_json", "Invalid message format");
}

BOOST_AUTO_TEST_CASE(missing_or_unknown_type_is_unknown_type) {
  check_error(R"({"worldId":"w"})", "unknown_type", "Unknown message type: undefined");
  check_error(R"({"type":"hello"})", "unknown_type", "Unknown message type: hello");
  check_error(R"({"type":5})", "unknown_type", "Unknown message type: 5");
  check_error(R"({"type":null})", "unknown_type", "Unknown message type: null");
  check_error(R"({"type":"PING"})", "unknown_type", "Unknown message type: PING");
}

BOOST_AUTO_TEST_CASE(unknown_type_echoes_request_id_and_truncates_long_types) {
  FrameError e = expect_error(R"({"type":"nope","requestId":"r9"})");
  BOOST_TEST(e.request_id.json == "\"r9\"");
  FrameError missing = expect_error(R"({"worldId":"w","requestId":"r10"})");
  BOOST_TEST(missing.request_id.json == "\"r10\"");
  FrameError long_type = expect_error("{\"type\":\"" + std::string(500, 'x') + "\"}");
  BOOST_TEST(long_type.text == "Unknown message type: " + std::string(128, 'x'));
}

BOOST_AUTO_TEST_CASE(request_id_string_or_number_is_kept_as_json) {
  BOOST_TEST(expect_frame(R"({"type":"ping","requestId":"r1"})").request_id.json == "\"r1\"");
  BOOST_TEST(expect_frame(R"({"type":"ping","requestId":42})").request_id.json == "42");
  BOOST_TEST(expect_frame(R"({"type":"ping","requestId":null})").request_id.present() == false);
  BOOST_TEST(expect_frame(R"({"type":"ping"})").request_id.present() == false);
  // 128 characters (code points) is the limit, not 128 bytes.
  std::string accented;
  for (int i = 0; i < 128; ++i) accented += "\xC3\xA9";
  BOOST_TEST(expect_frame("{\"type\":\"ping\",\"requestId\":\"" + accented + "\"}").request_id.present());
}

BOOST_AUTO_TEST_CASE(bad_request_id_is_invalid_request_with_the_frame_text) {
  const std::string long_id(129, 'a');
  check_error("{\"type\":\"subscribe\",\"worldId\":\"w\",\"requestId\":\"" + long_id + "\"}", "invalid_request",
              "Invalid subscribe request");
  check_error(R"({"type":"unsubscribe","requestId":true})", "invalid_request", "Invalid unsubscribe request");
  check_error(R"({"type":"message","worldId":"w","messageId":"m","requestId":{}})", "invalid_request",
              "Invalid message request");
  check_error(R"({"type":"ping","requestId":[1]})", "invalid_request", "Invalid ping request");
  check_error(R"({"type":"auth","requestId":false})", "invalid_request", "Invalid auth request");
  FrameError cmd = expect_error(R"({"type":"command","requestId":[],"payload":{"command":"list-worlds"}})");
  BOOST_TEST(cmd.text == "Invalid command request");
  BOOST_TEST(cmd.command.value_or("") == "list-worlds");  // answered with the pair
  BOOST_TEST(!cmd.request_id.present());
}

BOOST_AUTO_TEST_CASE(ping_decodes) {
  ClientFrame f = expect_frame(R"({"type":"ping","timestamp":"ignored","extra":1})");
  BOOST_TEST((f.type == FrameType::Ping));
}

BOOST_AUTO_TEST_CASE(auth_reads_the_token) {
  BOOST_TEST(body<AuthFrame>(R"({"type":"auth","payload":{"token":"abc"}})").token.value_or("") == "abc");
  BOOST_TEST(!body<AuthFrame>(R"({"type":"auth"})").token.has_value());
  check_error(R"({"type":"auth","payload":{"token":5}})", "invalid_request", "Invalid auth request");
  check_error(R"({"type":"auth","payload":"abc"})", "invalid_request", "Invalid auth request");
}

BOOST_AUTO_TEST_CASE(subscribe_requires_a_non_empty_string_world) {
  for (const char* text :
       {R"({"type":"subscribe"})", R"({"type":"subscribe","worldId":""})", R"({"type":"subscribe","worldId":7})",
        R"({"type":"subscribe","worldId":null})", R"({"type":"subscribe","worldId":"w","chatId":5})",
        R"({"type":"subscribe","worldId":"w","epoch":5})", R"({"type":"subscribe","worldId":"w","seq":-1})",
        R"({"type":"subscribe","worldId":"w","seq":1.5})", R"({"type":"subscribe","worldId":"w","fromSeq":"latest"})",
        R"({"type":"subscribe","worldId":"w","fromSeq":true})"}) {
    check_error(text, "invalid_request", "Invalid subscribe request");
  }
}

BOOST_AUTO_TEST_CASE(subscribe_canonicalises_the_world_and_keeps_the_raw_id) {
  auto f = body<SubscribeFrame>(R"({"type":"subscribe","worldId":"My World","chatId":"chat-1"})");
  BOOST_TEST(f.raw_world_id == "My World");
  BOOST_TEST(f.request.world_id == "my-world");
  BOOST_TEST(f.request.chat_id.value_or("") == "chat-1");
  BOOST_TEST(!f.request.last_seq.has_value());
  // An id with no usable character is looked up as-is (and matches no world).
  BOOST_TEST(body<SubscribeFrame>(R"({"type":"subscribe","worldId":"!!!"})").request.world_id == "!!!");
}

BOOST_AUTO_TEST_CASE(subscribe_null_or_empty_chat_is_world_wide) {
  BOOST_TEST(!body<SubscribeFrame>(R"({"type":"subscribe","worldId":"w","chatId":null})").request.chat_id);
  BOOST_TEST(!body<SubscribeFrame>(R"({"type":"subscribe","worldId":"w","chatId":""})").request.chat_id);
}

BOOST_AUTO_TEST_CASE(subscribe_seq_rules) {
  const auto last = [](const char* text) { return body<SubscribeFrame>(text).request.last_seq; };
  BOOST_TEST(last(R"({"type":"subscribe","worldId":"w","fromSeq":42})").value_or(0) == 42u);
  BOOST_TEST(last(R"({"type":"subscribe","worldId":"w","seq":7,"fromSeq":42})").value_or(0) == 7u);
  BOOST_TEST(last(R"({"type":"subscribe","worldId":"w","seq":null,"fromSeq":5})").value_or(0) == 5u);
  BOOST_TEST(last(R"({"type":"subscribe","worldId":"w","seq":42.0})").value_or(0) == 42u);
  // 0 without epoch = no replay (compat); with an epoch it is a real position; "beginning" is S = 0.
  BOOST_TEST(!last(R"({"type":"subscribe","worldId":"w","fromSeq":0})").has_value());
  BOOST_TEST(last(R"({"type":"subscribe","worldId":"w","fromSeq":0,"epoch":"E"})").value_or(99) == 0u);
  BOOST_TEST(last(R"({"type":"subscribe","worldId":"w","seq":"beginning"})").value_or(99) == 0u);
  BOOST_TEST(last(R"({"type":"subscribe","worldId":"w","fromSeq":"beginning"})").value_or(99) == 0u);
  BOOST_TEST(last(R"({"type":"subscribe","worldId":"w","seq":18446744073709551615})").value_or(0) ==
             18446744073709551615ull);
  auto with_epoch = body<SubscribeFrame>(R"({"type":"subscribe","worldId":"w","fromSeq":3,"epoch":"Zx"})");
  BOOST_TEST(with_epoch.request.epoch.value_or("") == "Zx");
}

BOOST_AUTO_TEST_CASE(unsubscribe_scopes) {
  using Scope = UnsubscribeFrame::Scope;
  BOOST_TEST((body<UnsubscribeFrame>(R"({"type":"unsubscribe"})").scope == Scope::All));
  auto world = body<UnsubscribeFrame>(R"({"type":"unsubscribe","worldId":"My World"})");
  BOOST_TEST((world.scope == Scope::World));
  BOOST_TEST(world.world_id == "my-world");
  BOOST_TEST(world.raw_world_id.value_or("") == "My World");
  auto key = body<UnsubscribeFrame>(R"({"type":"unsubscribe","worldId":"w","chatId":"c1"})");
  BOOST_TEST((key.scope == Scope::Key));
  BOOST_TEST(key.chat_id.value_or("") == "c1");
  auto world_wide_key = body<UnsubscribeFrame>(R"({"type":"unsubscribe","worldId":"w","chatId":null})");
  BOOST_TEST((world_wide_key.scope == Scope::Key));
  BOOST_TEST(!world_wide_key.chat_id.has_value());
}

BOOST_AUTO_TEST_CASE(unsubscribe_splits_a_colon_key) {
  using Scope = UnsubscribeFrame::Scope;
  auto all_of_world = body<UnsubscribeFrame>(R"({"type":"unsubscribe","worldId":"my-world:*"})");
  BOOST_TEST((all_of_world.scope == Scope::World));
  BOOST_TEST(all_of_world.world_id == "my-world");
  BOOST_TEST(all_of_world.raw_world_id.value_or("") == "my-world:*");  // echoed as received
  auto one_chat = body<UnsubscribeFrame>(R"({"type":"unsubscribe","worldId":"my-world:chat-1:x"})");
  BOOST_TEST((one_chat.scope == Scope::Key));
  BOOST_TEST(one_chat.world_id == "my-world");
  BOOST_TEST(one_chat.chat_id.value_or("") == "chat-1:x");
}

BOOST_AUTO_TEST_CASE(unsubscribe_wrong_types_are_invalid) {
  check_error(R"({"type":"unsubscribe","worldId":3})", "invalid_request", "Invalid unsubscribe request");
  check_error(R"({"type":"unsubscribe","worldId":"w","chatId":[]})", "invalid_request", "Invalid unsubscribe request");
}

BOOST_AUTO_TEST_CASE(message_required_fields_and_types) {
  for (const char* text :
       {R"({"type":"message","messageId":"m1"})", R"({"type":"message","worldId":"w"})",
        R"({"type":"message","worldId":"","messageId":"m1"})", R"({"type":"message","worldId":"w","messageId":""})",
        R"({"type":"message","worldId":"w","messageId":5})",
        R"({"type":"message","worldId":"w","messageId":"m","chatId":1})",
        R"({"type":"message","worldId":"w","messageId":"m","payload":[]})",
        R"({"type":"message","worldId":"w","messageId":"m","payload":"hi"})",
        R"({"type":"message","worldId":"w","messageId":"m","payload":{"content":5}})",
        R"({"type":"message","worldId":"w","messageId":"m","payload":{"content":null}})",
        R"({"type":"message","worldId":"w","messageId":"m","payload":{"sender":{}}})"}) {
    check_error(text, "invalid_request", "Invalid message request");
  }
  check_error("{\"type\":\"message\",\"worldId\":\"w\",\"messageId\":\"" + std::string(129, 'm') + "\"}",
              "invalid_request", "Invalid message request");
}

BOOST_AUTO_TEST_CASE(message_error_echoes_what_is_known) {
  FrameError e = expect_error(R"({"type":"message","worldId":"W 1","messageId":"m1","requestId":"r","payload":[]})");
  BOOST_TEST(e.world_id.value_or("") == "W 1");
  BOOST_TEST(e.message_id.value_or("") == "m1");
  BOOST_TEST(e.request_id.json == "\"r\"");
}

BOOST_AUTO_TEST_CASE(message_defaults) {
  auto f = body<MessageFrame>(R"({"type":"message","worldId":"My World","messageId":"m1","payload":null})");
  BOOST_TEST(f.request.world_id == "my-world");
  BOOST_TEST(f.raw_world_id == "My World");
  BOOST_TEST(f.request.content == "");
  BOOST_TEST(f.request.sender == "human");
  BOOST_TEST(f.request.priority == 0);
  BOOST_TEST(!f.priority_invalid);
  BOOST_TEST(!f.request.chat_id.has_value());
  auto no_payload = body<MessageFrame>(R"({"type":"message","worldId":"w","messageId":"m","chatId":null})");
  BOOST_TEST(no_payload.request.content == "");
  auto empty_sender = body<MessageFrame>(R"({"type":"message","worldId":"w","messageId":"m","payload":{"sender":""}})");
  BOOST_TEST(empty_sender.request.sender == "human");
}

BOOST_AUTO_TEST_CASE(message_fields_and_priority_warning) {
  auto f = body<MessageFrame>(
      R"({"type":"message","worldId":"w","messageId":"m","chatId":"c","payload":{"content":"hi","sender":"bob","priority":3}})");
  BOOST_TEST(f.request.content == "hi");
  BOOST_TEST(f.request.sender == "bob");
  BOOST_TEST(f.request.priority == 3);
  BOOST_TEST(f.request.chat_id.value_or("") == "c");
  auto bad = body<MessageFrame>(R"({"type":"message","worldId":"w","messageId":"m","payload":{"priority":"high"}})");
  BOOST_TEST(bad.priority_invalid);
  BOOST_TEST(bad.request.priority == 0);
  BOOST_TEST(body<MessageFrame>(R"({"type":"message","worldId":"w","messageId":"m","payload":{"priority":1.5}})")
                 .priority_invalid);
}

BOOST_AUTO_TEST_CASE(command_without_a_name_is_no_command_specified) {
  for (const char* text :
       {R"({"type":"command"})", R"({"type":"command","payload":{}})", R"({"type":"command","payload":{"command":5}})",
        R"({"type":"command","payload":"x"})", R"({"type":"command","payload":{"command":""}})"}) {
    BOOST_TEST_CONTEXT(text) {
      FrameError e = expect_error(text);
      BOOST_TEST(e.code == "invalid_request");
      BOOST_TEST(e.text == "No command specified");
      BOOST_TEST(!e.command.has_value());  // not a string name: a single error frame
    }
  }
}

BOOST_AUTO_TEST_CASE(unknown_command_is_answered_with_the_pair) {
  FrameError e = expect_error(R"({"type":"command","worldId":"w","requestId":"r4","payload":{"command":"fly"}})");
  BOOST_TEST(e.code == "unknown_command");
  BOOST_TEST(e.text == "Unknown command: fly");
  BOOST_TEST(e.command.value_or("") == "fly");
  BOOST_TEST(e.world_id.value_or("") == "w");
  BOOST_TEST(e.request_id.json == "\"r4\"");
}

BOOST_AUTO_TEST_CASE(command_params_must_be_an_object) {
  check_error(R"({"type":"command","worldId":"w","payload":{"command":"list-agents","params":[]}})", "invalid_request",
              "Invalid params for list-agents");
  check_error(R"({"type":"command","payload":{"command":"get-world","params":{"worldId":5}}})", "invalid_request",
              "Invalid params for get-world");
  auto f = body<CommandFrame>(R"({"type":"command","worldId":"w","payload":{"command":"list-agents","params":null}})");
  BOOST_TEST(f.params->IsObject());
  BOOST_TEST(f.params->MemberCount() == 0u);
}

BOOST_AUTO_TEST_CASE(command_world_rules) {
  check_error(R"({"type":"command","payload":{"command":"list-agents"}})", "invalid_request",
              "worldId required for list-agents");
  check_error(R"({"type":"command","worldId":"","payload":{"command":"export-world"}})", "invalid_request",
              "worldId required for export-world");
  check_error(R"({"type":"command","payload":{"command":"retry-failed"}})", "invalid_request",
              "worldId required for retry-failed");
  check_error(R"({"type":"command","worldId":"a","payload":{"command":"get-world","params":{"worldId":"b"}}})",
              "invalid_request", "worldId and params.worldId differ");
  check_error(R"({"type":"command","worldId":5,"payload":{"command":"get-world"}})", "invalid_request",
              "Invalid command request");
  // Optional and ignored worlds need none.
  BOOST_TEST(!body<CommandFrame>(R"({"type":"command","payload":{"command":"get-world"}})").world_id);
  BOOST_TEST(!body<CommandFrame>(R"({"type":"command","payload":{"command":"list-worlds"}})").world_id);
  BOOST_TEST(!body<CommandFrame>(R"({"type":"command","payload":{"command":"whoami"}})").world_id);
}

BOOST_AUTO_TEST_CASE(command_effective_world_id) {
  auto from_params =
      body<CommandFrame>(R"({"type":"command","payload":{"command":"get-world","params":{"worldId":"My World"}}})");
  BOOST_TEST(from_params.world_id.value_or("") == "my-world");
  BOOST_TEST(!from_params.raw_world_id.has_value());
  BOOST_TEST(from_params.raw_params_world_id.value_or("") == "My World");
  // Both present and equal once canonical: accepted.
  auto both = body<CommandFrame>(
      R"({"type":"command","worldId":"My World","payload":{"command":"get-world","params":{"worldId":"my-world"}}})");
  BOOST_TEST(both.world_id.value_or("") == "my-world");
  BOOST_TEST(both.raw_world_id.value_or("") == "My World");
  auto top = body<CommandFrame>(R"({"type":"command","worldId":"W","payload":{"command":"list-chats"}})");
  BOOST_TEST(top.world_id.value_or("") == "w");
  BOOST_TEST(top.command == "list-chats");
}

BOOST_AUTO_TEST_CASE(command_params_outlive_the_decode) {
  ClientFrame frame = expect_frame(
      R"({"type":"command","worldId":"w","payload":{"command":"create-agent","params":{"name":"Alice","id":"alice"}}})");
  ClientFrame moved = std::move(frame);
  const auto& f = std::get<CommandFrame>(moved.body);
  BOOST_TEST(json::get_string(*f.params, "name").value_or("") == "Alice");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::protocol
