// Tests of GeminiStreamDecoder: parts text, thought parts, usageMetadata, blocked candidates and prompts, errors,
// and streams cut before a finishReason.
#include "processor/providers/google/gemini_stream_decoder.h"

#include <boost/test/unit_test.hpp>

namespace aw::processor::providers::google {
namespace {

struct GeminiDecoderFixture {
  GeminiStreamDecoder decoder{"google"};
  std::string delta;

  Status feed(std::string data) {
    delta.clear();
    return decoder.on_event(SseEvent{"", std::move(data)}, delta);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(gemini_stream_decoder, GeminiDecoderFixture)

BOOST_AUTO_TEST_CASE(text_parts_usage_and_finish) {
  BOOST_TEST(feed(R"({"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}],)"
                  R"("usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}})")
                 .is_ok());
  BOOST_TEST(delta == "Hel");
  BOOST_TEST(feed(R"({"candidates":[{"content":{"parts":[{"text":"lo"},{"text":"!"}],"role":"model"},)"
                  R"("finishReason":"STOP","index":0}],)"
                  R"("usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":3,"totalTokenCount":11}})")
                 .is_ok());
  BOOST_TEST(delta == "lo!");
  BOOST_TEST(decoder.finish_reason() == "STOP");
  BOOST_TEST(!decoder.is_done());  // usage may still follow; the body's end ends the reply
  BOOST_TEST(decoder.on_end_of_body().is_ok());
  BOOST_REQUIRE(decoder.usage().has_value());
  BOOST_TEST(decoder.usage()->input_tokens == 8);
  BOOST_TEST(decoder.usage()->output_tokens == 3);
  BOOST_TEST(decoder.usage()->total_tokens == 11);
}

BOOST_AUTO_TEST_CASE(thought_and_function_call_parts_carry_no_text) {
  BOOST_TEST(feed(R"({"candidates":[{"content":{"parts":[{"text":"thinking...","thought":true},)"
                  R"({"functionCall":{"name":"f","args":{}}},{"text":"answer"}]}}]})")
                 .is_ok());
  BOOST_TEST(delta == "answer");
}

BOOST_AUTO_TEST_CASE(blocked_candidate_is_an_empty_completion) {
  BOOST_TEST(feed(R"({"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[]}]})").is_ok());
  BOOST_TEST(delta.empty());
  BOOST_TEST(decoder.on_end_of_body().is_ok());
}

BOOST_AUTO_TEST_CASE(blocked_prompt_is_an_empty_completion) {
  BOOST_TEST(feed(R"({"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":3}})")
                 .is_ok());
  BOOST_TEST(delta.empty());
  BOOST_TEST(decoder.finish_reason() == "PROHIBITED_CONTENT");
  BOOST_TEST(decoder.on_end_of_body().is_ok());
}

BOOST_AUTO_TEST_CASE(error_object_fails_with_its_message) {
  Status s = feed(R"({"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}})");
  BOOST_TEST(s.message() == "The model is overloaded.");
}

BOOST_AUTO_TEST_CASE(malformed_and_cut_streams) {
  BOOST_TEST(feed("{\"candidates\":[{").message() == "Invalid response from google: malformed JSON event");
  BOOST_TEST(feed("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\xF0\x9F\"}]}}]}").message() ==
             "Invalid response from google: invalid UTF-8");
  BOOST_TEST(feed(R"({"candidates":[{"content":{"parts":[{"text":"partial"}]}}]})").is_ok());
  BOOST_TEST(decoder.on_end_of_body().message() == "Invalid response from google: stream ended before finishReason");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers::google
