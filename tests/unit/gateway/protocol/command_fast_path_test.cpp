// The command frame fast path (gateway/protocol/command_fast_path.h): it takes the frames it should, and for every
// text decode_client_frame answers exactly what the DOM decoder alone answers.
#include <boost/test/unit_test.hpp>

#include <string>
#include <variant>

#include "common/json.h"
#include "gateway/protocol/client_frame.h"
#include "gateway/protocol/command_fast_path.h"

namespace aw::gateway::protocol {
namespace {

std::string opt(const std::optional<std::string>& s) { return s ? "'" + *s + "'" : std::string("-"); }

// Everything a decode result carries, as text, so two results compare field for field.
std::string describe(const DecodeResult& r) {
  if (const auto* e = std::get_if<FrameError>(&r)) {
    return "error " + e->code + " | " + e->text + " | rid " + e->request_id.json + " | type " +
           (e->type ? std::string(frame_type_name(*e->type)) : "-") + " | cmd " + opt(e->command) + " | world " +
           opt(e->world_id) + " | chat " + opt(e->chat_id) + " | msg " + opt(e->message_id);
  }
  const auto& f = std::get<ClientFrame>(r);
  std::string out = "frame " + std::string(frame_type_name(f.type)) + " | rid " + f.request_id.json;
  if (const auto* c = std::get_if<CommandFrame>(&f.body)) {
    out += " | cmd " + c->command + " | params " + json::to_string(*c->params).value_or("?") + " | raw " +
           opt(c->raw_world_id) + " | raw params " + opt(c->raw_params_world_id) + " | world " + opt(c->world_id);
  }
  return out;
}

void check_same(std::string_view text) {
  BOOST_TEST_CONTEXT(text) {
    BOOST_TEST(describe(decode_client_frame(text)) == describe(decode_client_frame_dom(text)));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(command_fast_path)

BOOST_AUTO_TEST_CASE(takes_well_formed_command_frames) {
  for (const char* text : {
           R"({"type":"command","payload":{"command":"list-worlds"},"requestId":"req-000123"})",
           R"({"requestId":"r1","payload":{"params":{"worldId":"My World"},"command":"get-world"},"type":"command"})",
           R"({"type":"command","worldId":"w","payload":{"command":"list-agents","params":null}})",
           R"({"type":"command","worldId":"w","payload":{"command":"list-agents","params":{}},"x":[1,{"a":2}]})",
           R"({"type":"command","requestId":null,"payload":{"command":"list-worlds","extra":{"command":5}}})",
           R"({"type":"command","payload":{"command":"list-worlds"},"payload":5,"type":"x"})",
       }) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(decode_command_fast(text).has_value());
      check_same(text);
    }
  }
  ClientFrame f = *decode_command_fast(R"({"type":"command","payload":{"command":"list-worlds"},"requestId":"a\"b"})");
  BOOST_TEST(f.request_id.json == R"("a\"b")");
  BOOST_TEST(!f.document);  // no params: nothing parsed into a Document
  BOOST_TEST(std::get<CommandFrame>(f.body).params->IsObject());
}

BOOST_AUTO_TEST_CASE(leaves_everything_else_to_the_dom_decoder) {
  for (const char* text : {
           R"({"type":"ping","requestId":"r"})",
           R"({"type":"command","payload":{"command":"list-worlds"},"requestId":7})",
           R"({"type":"command","payload":{"command":"nope"},"requestId":"r"})",
           R"({"type":"command","payload":{"command":""},"requestId":"r"})",
           R"({"type":"command","payload":{"command":5}})",
           R"({"type":"command","payload":"x"})",
           R"({"type":"command"})",
           R"({"type":"command","payload":{"command":"list-worlds","params":[]}})",
           R"({"type":"command","payload":{"command":"list-worlds","params":{"worldId":3}}})",
           R"({"type":"command","worldId":{},"payload":{"command":"list-worlds"}})",
           R"({"type":"command","worldId":"a","payload":{"command":"get-world","params":{"worldId":"b"}}})",
           R"({"type":"command","payload":{"command":"list-agents"}})",
           R"({"type":"command","requestId":[],"payload":{"command":"list-worlds"}})",
           R"({"type":"command","payload":{"command":"list-worlds"}} x)",
           R"([{"type":"command","payload":{"command":"list-worlds"}}])",
           R"({"type":"command","payload":{"command":"list-worlds"})",
           R"({"type":["command"],"payload":{"command":"list-worlds"}})",
       }) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(!decode_command_fast(text).has_value());
      check_same(text);
    }
  }
  const std::string long_id(129, 'x');
  const std::string too_long =
      R"({"type":"command","payload":{"command":"list-worlds"},"requestId":")" + long_id + "\"}";
  BOOST_TEST(!decode_command_fast(too_long).has_value());
  check_same(too_long);
}

BOOST_AUTO_TEST_CASE(answers_as_the_dom_decoder_for_mutated_frames) {
  // Every prefix and every one-byte change of a few command frames: syntax errors, wrong types and duplicates.
  const std::string bases[] = {
      R"({"type":"command","worldId":"W 1","payload":{"command":"get-world","params":{"worldId":"w-1","n":[1,2]}},"requestId":"r"})",
      R"({"type":"command","payload":{"command":"list-worlds","params":null},"requestId":"q"})",
  };
  const char replacements[] = {'"', '{', '}', '[', ']', ',', ':', 'x', '0', ' ', '\\', 'n'};
  for (const std::string& base : bases) {
    for (std::size_t i = 0; i <= base.size(); ++i) check_same(base.substr(0, i));
    for (std::size_t i = 0; i < base.size(); ++i) {
      for (char c : replacements) {
        std::string mutated = base;
        mutated[i] = c;
        check_same(mutated);
      }
    }
  }
  const std::string deep = R"({"type":"command","payload":{"command":"list-worlds","params":{"a":)" +
                           std::string(70, '[') + std::string(70, ']') + "}}}";
  check_same(deep);
  check_same(std::string(R"({"type":"command","payload":{"command":"list-worlds"}})") + std::string(1, '\0') + "x");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::protocol
