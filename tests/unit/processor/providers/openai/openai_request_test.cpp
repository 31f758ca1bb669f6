// Tests of the OpenAI family's requests: endpoints and auth per provider (agent-runtime.md §7.1) and the body
// rules of §7.2 (max_completion_tokens vs max_tokens, stream_options, absent settings left out).
#include "processor/providers/openai/openai_request.h"

#include <boost/test/unit_test.hpp>

#include "processor/providers/openai/openai_protocol.h"
#include "processor/providers/provider_registry.h"

namespace aw::processor::providers::openai {
namespace {

LlmRequest sample_request(std::string provider) {
  LlmRequest r;
  r.provider = std::move(provider);
  r.model = "gpt-4o";
  r.messages = {{"system", "Be brief."}, {"user", "hi \"there\""}, {"assistant", "hello"}, {"user", "again"}};
  return r;
}

// The protocol a registration makes from `variables`, or nullptr.
std::unique_ptr<ProviderProtocol> make(const ProviderRegistration& registration, const ProviderVariables& variables) {
  return registration.make(variables);
}

HttpRequest build(const ProviderRegistration& registration, const ProviderVariables& variables,
                  const LlmRequest& request) {
  auto protocol = make(registration, variables);
  BOOST_REQUIRE(protocol != nullptr);
  auto http = protocol->build_request(request);
  BOOST_REQUIRE(http.is_ok());
  return http.value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(openai_request)

BOOST_AUTO_TEST_CASE(openai_body_with_all_settings) {
  LlmRequest r = sample_request("openai");
  r.temperature = 0.7;
  r.max_tokens = 512;
  HttpRequest http = build(openai_registration(), {{"OPENAI_API_KEY", "sk-test"}}, r);
  BOOST_TEST(http.url == "https://api.openai.com/v1/chat/completions");
  BOOST_TEST(http.header("authorization").value() == "Bearer sk-test");
  BOOST_TEST(http.content_type == "application/json");
  BOOST_TEST(http.body ==
             R"({"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"temperature":0.7,)"
             R"("max_completion_tokens":512,"messages":[{"role":"system","content":"Be brief."},)"
             R"({"role":"user","content":"hi \"there\""},{"role":"assistant","content":"hello"},)"
             R"({"role":"user","content":"again"}]})");
}

BOOST_AUTO_TEST_CASE(absent_settings_are_left_out) {
  LlmRequest r = sample_request("openai");
  r.messages = {{"user", "hi"}};
  HttpRequest http = build(openai_registration(), {{"OPENAI_API_KEY", "k"}}, r);
  BOOST_TEST(http.body == R"({"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},)"
                          R"("messages":[{"role":"user","content":"hi"}]})");
}

BOOST_AUTO_TEST_CASE(temperature_zero_is_sent) {
  LlmRequest r = sample_request("xai");
  r.messages = {{"user", "hi"}};
  r.temperature = 0.0;
  HttpRequest http = build(xai_registration(), {{"XAI_API_KEY", "k"}}, r);
  BOOST_TEST(http.body ==
             R"({"model":"gpt-4o","stream":true,"temperature":0.0,"messages":[{"role":"user","content":"hi"}]})");
}

BOOST_AUTO_TEST_CASE(non_streaming_variant_for_titles) {
  LlmRequest r = sample_request("openai");
  r.messages = {{"user", "hi"}};
  r.stream = false;
  r.max_tokens = 20;
  HttpRequest http = build(openai_registration(), {{"OPENAI_API_KEY", "k"}}, r);
  BOOST_TEST(
      http.body ==
      R"({"model":"gpt-4o","stream":false,"max_completion_tokens":20,"messages":[{"role":"user","content":"hi"}]})");
}

BOOST_AUTO_TEST_CASE(openai_base_url_overrides_and_trailing_slash) {
  LlmRequest r = sample_request("openai");
  BOOST_TEST(
      build(openai_registration(), {{"OPENAI_API_KEY", "k"}, {"AW_OPENAI_BASE_URL", "http://127.0.0.1:9/v1/"}}, r)
          .url == "http://127.0.0.1:9/v1/chat/completions");
  BOOST_TEST(build(openai_registration(), {{"OPENAI_API_KEY", "k"}, {"OPENAI_BASE_URL", "http://proxy/v1"}}, r).url ==
             "http://proxy/v1/chat/completions");
  // Ours wins over the SDKs' conventional name.
  BOOST_TEST(build(openai_registration(),
                   {{"OPENAI_API_KEY", "k"}, {"OPENAI_BASE_URL", "http://a/v1"}, {"AW_OPENAI_BASE_URL", "http://b/v1"}},
                   r)
                 .url == "http://b/v1/chat/completions");
  BOOST_TEST((make(openai_registration(), {{"AW_OPENAI_BASE_URL", "http://b/v1"}}) == nullptr));  // no key
}

BOOST_AUTO_TEST_CASE(azure_endpoint_auth_and_tokens_field) {
  LlmRequest r = sample_request("azure");
  r.messages = {{"user", "hi"}};
  r.max_tokens = 100;
  ProviderVariables v = {
      {"AZURE_OPENAI_API_KEY", "az-key"}, {"AZURE_RESOURCE_NAME", "res1"}, {"AZURE_DEPLOYMENT", "dep 1"}};
  HttpRequest http = build(azure_registration(), v, r);
  BOOST_TEST(http.url ==
             "https://res1.openai.azure.com/openai/deployments/dep%201/chat/completions?api-version=2024-10-21");
  BOOST_TEST(http.header("api-key").value() == "az-key");
  BOOST_TEST(!http.header("authorization").has_value());
  BOOST_TEST(http.body ==
             R"({"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"max_completion_tokens":100,)"
             R"("messages":[{"role":"user","content":"hi"}]})");
  v["AZURE_API_VERSION"] = "2025-01-01-preview";
  BOOST_TEST(
      build(azure_registration(), v, r).url ==
      "https://res1.openai.azure.com/openai/deployments/dep%201/chat/completions?api-version=2025-01-01-preview");
  v.erase("AZURE_DEPLOYMENT");
  BOOST_TEST((make(azure_registration(), v) == nullptr));
}

BOOST_AUTO_TEST_CASE(xai_uses_max_tokens_and_no_stream_options) {
  LlmRequest r = sample_request("xai");
  r.messages = {{"user", "hi"}};
  r.max_tokens = 64;
  HttpRequest http = build(xai_registration(), {{"XAI_API_KEY", "xk"}}, r);
  BOOST_TEST(http.url == "https://api.x.ai/v1/chat/completions");
  BOOST_TEST(http.header("Authorization").value() == "Bearer xk");
  BOOST_TEST(http.body ==
             R"({"model":"gpt-4o","stream":true,"max_tokens":64,"messages":[{"role":"user","content":"hi"}]})");
  BOOST_TEST(build(xai_registration(), {{"XAI_API_KEY", "xk"}, {"AW_XAI_BASE_URL", "http://x/v1//"}}, r).url ==
             "http://x/v1/chat/completions");
}

BOOST_AUTO_TEST_CASE(openai_compatible_needs_a_base_url_and_key_is_optional) {
  LlmRequest r = sample_request("openai-compatible");
  BOOST_TEST((make(openai_compatible_registration(), {{"OPENAI_COMPATIBLE_API_KEY", "k"}}) == nullptr));
  HttpRequest keyless =
      build(openai_compatible_registration(), {{"OPENAI_COMPATIBLE_BASE_URL", "http://vllm:8000/v1"}}, r);
  BOOST_TEST(keyless.url == "http://vllm:8000/v1/chat/completions");
  BOOST_TEST(!keyless.header("authorization").has_value());
  HttpRequest keyed =
      build(openai_compatible_registration(),
            {{"OPENAI_COMPATIBLE_BASE_URL", "http://vllm:8000/v1"}, {"OPENAI_COMPATIBLE_API_KEY", "ck"}}, r);
  BOOST_TEST(keyed.header("authorization").value() == "Bearer ck");
  BOOST_TEST(keyed.body.find("stream_options") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(ollama_is_always_configured) {
  LlmRequest r = sample_request("ollama");
  r.max_tokens = 10;
  HttpRequest http = build(ollama_registration(), {}, r);
  BOOST_TEST(http.url == "http://localhost:11434/v1/chat/completions");
  BOOST_TEST(http.header("authorization").value() == "Bearer ollama");
  BOOST_TEST(http.body.find("\"max_tokens\":10") != std::string::npos);
  BOOST_TEST(build(ollama_registration(), {{"OLLAMA_BASE_URL", "http://gpu:11434/v1/"}}, r).url ==
             "http://gpu:11434/v1/chat/completions");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_a_message_fails_the_build) {
  LlmRequest r = sample_request("openai");
  r.messages = {{"user", "bad \xFF"}};
  auto protocol = make(openai_registration(), {{"OPENAI_API_KEY", "k"}});
  auto http = protocol->build_request(r);
  BOOST_TEST(!http.is_ok());
  BOOST_TEST(http.status().message().find("not valid UTF-8") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(non_streaming_reply_is_parsed) {
  auto c = parse_chat_completion(
      "openai",
      R"({"choices":[{"message":{"role":"assistant","content":"Fake Title"}}],"usage":{"prompt_tokens":5,"completion_tokens":2}})");
  BOOST_REQUIRE(c.is_ok());
  BOOST_TEST(c->text == "Fake Title");
  BOOST_TEST(c->usage->total_tokens == 7);
  BOOST_TEST(parse_chat_completion("openai", R"({"choices":[{"message":{"content":null}}]})")->text.empty());
  BOOST_TEST(parse_chat_completion("openai", R"({"choices":[]})").status().message() ==
             "Invalid response from openai: no choices in the reply");
  BOOST_TEST(parse_chat_completion("openai", "<html>").status().message() ==
             "Invalid response from openai: malformed JSON body");
  BOOST_TEST(parse_chat_completion("openai", R"({"error":{"message":"quota"}})").status().message() == "quota");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers::openai
