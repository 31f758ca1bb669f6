// Tests of the Gemini request (agent-runtime.md §7.1, §7.2): URL per call kind, API key header, model role,
// systemInstruction, generationConfig, merged roles.
#include "processor/providers/google/gemini_request.h"

#include <boost/test/unit_test.hpp>

#include "processor/providers/google/gemini_protocol.h"

namespace aw::processor::providers::google {
namespace {

HttpRequest build(const LlmRequest& request, const ProviderVariables& variables = {{"GOOGLE_API_KEY", "gk"}}) {
  auto protocol = google_registration().make(variables);
  BOOST_REQUIRE(protocol != nullptr);
  auto http = protocol->build_request(request);
  BOOST_REQUIRE(http.is_ok());
  return http.value();
}

LlmRequest request_with(std::vector<LlmMessage> messages) {
  LlmRequest r;
  r.provider = "google";
  r.model = "gemini-2.0-flash";
  r.messages = std::move(messages);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gemini_request)

BOOST_AUTO_TEST_CASE(streaming_url_key_and_body) {
  LlmRequest r = request_with({{"system", "Be brief."}, {"user", "hi"}, {"assistant", "hello"}, {"user", "more"}});
  r.temperature = 0.7;
  r.max_tokens = 512;
  HttpRequest http = build(r);
  BOOST_TEST(http.url ==
             "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
  BOOST_TEST(http.header("x-goog-api-key").value() == "gk");
  BOOST_TEST(http.body ==
             R"({"contents":[{"role":"user","parts":[{"text":"hi"}]},{"role":"model","parts":[{"text":"hello"}]},)"
             R"({"role":"user","parts":[{"text":"more"}]}],"systemInstruction":{"parts":[{"text":"Be brief."}]},)"
             R"("generationConfig":{"temperature":0.7,"maxOutputTokens":512}})");
}

BOOST_AUTO_TEST_CASE(absent_settings_and_system_are_left_out) {
  HttpRequest http = build(request_with({{"user", "hi"}}));
  BOOST_TEST(http.body == R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})");
}

BOOST_AUTO_TEST_CASE(roles_merged_and_leading_model_dropped) {
  HttpRequest http = build(request_with({{"assistant", "x"}, {"user", "a"}, {"user", "b"}, {"assistant", "c"}}));
  BOOST_TEST(http.body == R"({"contents":[{"role":"user","parts":[{"text":"a\n\nb"}]},)"
                          R"({"role":"model","parts":[{"text":"c"}]}]})");
}

BOOST_AUTO_TEST_CASE(non_streaming_url_and_model_encoding) {
  LlmRequest r = request_with({{"user", "hi"}});
  r.stream = false;
  BOOST_TEST(build(r).url ==
             "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
  r.model = "models/gemini-pro";
  BOOST_TEST(build(r).url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent");
  r.model = "a/b?c";
  BOOST_TEST(build(r).url == "https://generativelanguage.googleapis.com/v1beta/models/a%2Fb%3Fc:generateContent");
  BOOST_TEST(build(r, {{"GOOGLE_API_KEY", "gk"}, {"AW_GOOGLE_BASE_URL", "http://127.0.0.1:7//"}}).url ==
             "http://127.0.0.1:7/v1beta/models/a%2Fb%3Fc:generateContent");
  BOOST_TEST((google_registration().make({}) == nullptr));
}

BOOST_AUTO_TEST_CASE(non_streaming_reply_concatenates_parts) {
  auto c = parse_generate_response(
      "google",
      R"({"candidates":[{"content":{"role":"model","parts":[{"text":"Fake "},{"text":"Title"}]},)"
      R"("finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"totalTokenCount":6}})");
  BOOST_REQUIRE(c.is_ok());
  BOOST_TEST(c->text == "Fake Title");
  BOOST_TEST(c->usage->total_tokens == 6);
  auto blocked = parse_generate_response("google", R"({"promptFeedback":{"blockReason":"SAFETY"}})");
  BOOST_REQUIRE(blocked.is_ok());
  BOOST_TEST(blocked->text.empty());
  BOOST_TEST(parse_generate_response("google", R"([{"error":{"code":400,"message":"API key not valid."}}])")
                 .status()
                 .message() == "API key not valid.");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers::google
