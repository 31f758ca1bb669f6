// Tests of the Anthropic Messages request (agent-runtime.md §7.1, §7.2): endpoint, headers, default max_tokens,
// system apart, temperature clamped, roles merged and a leading assistant dropped.
#include "processor/providers/anthropic/anthropic_request.h"

#include <boost/test/unit_test.hpp>

#include "processor/providers/anthropic/anthropic_protocol.h"

namespace aw::processor::providers::anthropic {
namespace {

HttpRequest build(const LlmRequest& request, const ProviderVariables& variables = {{"ANTHROPIC_API_KEY", "ak"}}) {
  auto protocol = anthropic_registration().make(variables);
  BOOST_REQUIRE(protocol != nullptr);
  auto http = protocol->build_request(request);
  BOOST_REQUIRE(http.is_ok());
  return http.value();
}

LlmRequest request_with(std::vector<LlmMessage> messages) {
  LlmRequest r;
  r.provider = "anthropic";
  r.model = "claude-sonnet-4-5";
  r.messages = std::move(messages);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(anthropic_request)

BOOST_AUTO_TEST_CASE(endpoint_headers_and_default_max_tokens) {
  HttpRequest http = build(request_with({{"system", "Be brief."}, {"user", "hi"}}));
  BOOST_TEST(http.url == "https://api.anthropic.com/v1/messages");
  BOOST_TEST(http.header("x-api-key").value() == "ak");
  BOOST_TEST(http.header("anthropic-version").value() == "2023-06-01");
  BOOST_TEST(!http.header("authorization").has_value());
  BOOST_TEST(http.body == R"({"model":"claude-sonnet-4-5","max_tokens":4096,"system":"Be brief.","stream":true,)"
                          R"("messages":[{"role":"user","content":"hi"}]})");
}

BOOST_AUTO_TEST_CASE(max_tokens_and_temperature_clamped_to_one) {
  LlmRequest r = request_with({{"user", "hi"}});
  r.max_tokens = 300;
  r.temperature = 1.7;
  BOOST_TEST(build(r).body == R"({"model":"claude-sonnet-4-5","max_tokens":300,"temperature":1.0,"stream":true,)"
                              R"("messages":[{"role":"user","content":"hi"}]})");
  r.temperature = 0.3;
  BOOST_TEST(build(r).body.find("\"temperature\":0.3,") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(roles_merged_and_leading_assistant_dropped) {
  LlmRequest r = request_with({{"system", "S1"},
                               {"assistant", "dropped"},
                               {"user", "a"},
                               {"user", "b"},
                               {"assistant", "c"},
                               {"assistant", "d"},
                               {"user", "e"}});
  BOOST_TEST(build(r).body ==
             R"({"model":"claude-sonnet-4-5","max_tokens":4096,"system":"S1","stream":true,"messages":[)"
             R"({"role":"user","content":"a\n\nb"},{"role":"assistant","content":"c\n\nd"},)"
             R"({"role":"user","content":"e"}]})");
}

BOOST_AUTO_TEST_CASE(no_system_member_without_a_system_message) {
  BOOST_TEST(build(request_with({{"user", "hi"}})).body.find("\"system\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(non_streaming_variant_has_no_stream_member) {
  LlmRequest r = request_with({{"user", "hi"}});
  r.stream = false;
  r.max_tokens = 20;
  BOOST_TEST(build(r).body ==
             R"({"model":"claude-sonnet-4-5","max_tokens":20,"messages":[{"role":"user","content":"hi"}]})");
}

BOOST_AUTO_TEST_CASE(base_url_override_and_configuration) {
  LlmRequest r = request_with({{"user", "hi"}});
  BOOST_TEST(build(r, {{"ANTHROPIC_API_KEY", "ak"}, {"AW_ANTHROPIC_BASE_URL", "http://127.0.0.1:5/"}}).url ==
             "http://127.0.0.1:5/v1/messages");
  BOOST_TEST((anthropic_registration().make({{"AW_ANTHROPIC_BASE_URL", "http://x"}}) == nullptr));
}

BOOST_AUTO_TEST_CASE(non_streaming_reply_concatenates_text_blocks) {
  auto c = parse_message("anthropic",
                         R"({"type":"message","content":[{"type":"text","text":"Fake "},{"type":"tool_use","id":"t"},)"
                         R"({"type":"text","text":"Title"}],"usage":{"input_tokens":9,"output_tokens":2}})");
  BOOST_REQUIRE(c.is_ok());
  BOOST_TEST(c->text == "Fake Title");
  BOOST_TEST(c->usage->total_tokens == 11);
  BOOST_TEST(
      parse_message("anthropic", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")
          .status()
          .message() == "Overloaded");
  BOOST_TEST(parse_message("anthropic", R"({"type":"message"})").status().message() ==
             "Invalid response from anthropic: no content in the reply");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers::anthropic
