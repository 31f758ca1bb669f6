// Tests of OpenAiStreamDecoder: chat completion chunks, [DONE], usage, error objects and malformed events.
#include "processor/providers/openai/openai_stream_decoder.h"

#include <boost/test/unit_test.hpp>

namespace aw::processor::providers::openai {
namespace {

struct OpenAiDecoderFixture {
  OpenAiStreamDecoder decoder{"openai"};
  std::string delta;

  Status feed(std::string data) {
    delta.clear();
    return decoder.on_event(SseEvent{"", std::move(data)}, delta);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(openai_stream_decoder, OpenAiDecoderFixture)

BOOST_AUTO_TEST_CASE(content_deltas_finish_reason_usage_and_done) {
  BOOST_TEST(feed(R"({"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":null}}]})").is_ok());
  BOOST_TEST(delta.empty());
  BOOST_TEST(feed(R"({"choices":[{"index":0,"delta":{"content":"Hel"}}]})").is_ok());
  BOOST_TEST(delta == "Hel");
  BOOST_TEST(feed(R"({"choices":[{"index":0,"delta":{"content":"lo \u00e9"},"finish_reason":null}]})").is_ok());
  BOOST_TEST(delta == "lo \xC3\xA9");
  BOOST_TEST(feed(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})").is_ok());
  BOOST_TEST(decoder.finish_reason() == "stop");
  BOOST_TEST(!decoder.usage().has_value());
  BOOST_TEST(feed(R"({"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}})").is_ok());
  BOOST_REQUIRE(decoder.usage().has_value());
  BOOST_TEST(decoder.usage()->input_tokens == 12);
  BOOST_TEST(decoder.usage()->output_tokens == 3);
  BOOST_TEST(decoder.usage()->total_tokens == 15);
  BOOST_TEST(!decoder.is_done());
  BOOST_TEST(feed("[DONE]").is_ok());
  BOOST_TEST(decoder.is_done());
}

BOOST_AUTO_TEST_CASE(error_object_fails_with_its_message) {
  Status s =
      feed(R"({"error":{"message":"The server had an error while processing your request.","type":"server_error"}})");
  BOOST_TEST(!s.is_ok());
  BOOST_TEST(s.message() == "The server had an error while processing your request.");
  OpenAiStreamDecoder plain("openai-compatible");
  std::string d;
  Status text_error = plain.on_event(SseEvent{"", R"({"error":"model not loaded"})"}, d);
  BOOST_TEST(text_error.message() == "model not loaded");
  Status no_message = plain.on_event(SseEvent{"", R"({"error":{"code":500}})"}, d);
  BOOST_TEST(no_message.message() == "Invalid response from openai-compatible: error event without a message");
}

BOOST_AUTO_TEST_CASE(malformed_events_name_the_provider) {
  BOOST_TEST(feed("{\"choices\":[").message() == "Invalid response from openai: malformed JSON event");
  BOOST_TEST(feed("not json").message() == "Invalid response from openai: malformed JSON event");
  BOOST_TEST(feed("42").message() == "Invalid response from openai: malformed JSON event");
  BOOST_TEST(feed(R"({"choices":[{"delta":{"content":7}}]})").message() ==
             "Invalid response from openai: delta.content is not a string");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_refused) {
  Status s = feed("{\"choices\":[{\"delta\":{\"content\":\"a\xC3\"}}]}");
  BOOST_TEST(s.message() == "Invalid response from openai: invalid UTF-8");
  OpenAiStreamDecoder xai("xai");
  std::string d;
  BOOST_TEST(xai.on_event(SseEvent{"", "{\"choices\":[{\"delta\":{\"content\":\"\xC0\xAF\"}}]}"}, d).message() ==
             "Invalid response from xai: invalid UTF-8");
}

BOOST_AUTO_TEST_CASE(chunks_without_choices_are_ignored) {
  BOOST_TEST(feed(R"({"object":"chat.completion.chunk"})").is_ok());
  BOOST_TEST(feed(R"({"choices":[]})").is_ok());
  BOOST_TEST(delta.empty());
}

BOOST_AUTO_TEST_CASE(end_without_done_is_a_cut_stream_unless_finished) {
  BOOST_TEST(feed(R"({"choices":[{"delta":{"content":"partial"}}]})").is_ok());
  BOOST_TEST(decoder.on_end_of_body().message() == "Invalid response from openai: stream ended before [DONE]");
  BOOST_TEST(feed(R"({"choices":[{"delta":{},"finish_reason":"length"}]})").is_ok());
  BOOST_TEST(decoder.on_end_of_body().is_ok());  // servers that omit [DONE] after a finish_reason
}

BOOST_AUTO_TEST_CASE(empty_reply_is_only_done) {
  BOOST_TEST(feed("[DONE]").is_ok());
  BOOST_TEST(decoder.is_done());
  BOOST_TEST(delta.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers::openai
