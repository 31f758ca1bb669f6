// Tests of AnthropicStreamDecoder: the Messages event sequence, usage, ping, errors and cut streams.
#include "processor/providers/anthropic/anthropic_stream_decoder.h"

#include <boost/test/unit_test.hpp>

namespace aw::processor::providers::anthropic {
namespace {

struct AnthropicDecoderFixture {
  AnthropicStreamDecoder decoder{"anthropic"};
  std::string delta;

  Status feed(std::string type, std::string data) {
    delta.clear();
    return decoder.on_event(SseEvent{std::move(type), std::move(data)}, delta);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(anthropic_stream_decoder, AnthropicDecoderFixture)

BOOST_AUTO_TEST_CASE(full_message_sequence) {
  BOOST_TEST(feed("message_start", R"({"type":"message_start","message":{"id":"m1","role":"assistant","content":[],)"
                                   R"("usage":{"input_tokens":25,"output_tokens":1}}})")
                 .is_ok());
  BOOST_TEST(feed("content_block_start",
                  R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})")
                 .is_ok());
  BOOST_TEST(delta.empty());
  BOOST_TEST(feed("ping", R"({"type": "ping"})").is_ok());
  BOOST_TEST(feed("content_block_delta",
                  R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}})")
                 .is_ok());
  BOOST_TEST(delta == "Hello");
  BOOST_TEST(feed("content_block_delta",
                  R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" w\u00f6rld"}})")
                 .is_ok());
  BOOST_TEST(delta == " w\xC3\xB6rld");
  BOOST_TEST(feed("content_block_stop", R"({"type":"content_block_stop","index":0})").is_ok());
  BOOST_TEST(feed("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},)"
                                   R"("usage":{"output_tokens":15}})")
                 .is_ok());
  BOOST_TEST(decoder.stop_reason() == "end_turn");
  BOOST_TEST(!decoder.is_done());
  BOOST_TEST(feed("message_stop", R"({"type":"message_stop"})").is_ok());
  BOOST_TEST(decoder.is_done());
  BOOST_REQUIRE(decoder.usage().has_value());
  BOOST_TEST(decoder.usage()->input_tokens == 25);
  BOOST_TEST(decoder.usage()->output_tokens == 15);
  BOOST_TEST(decoder.usage()->total_tokens == 40);
}

BOOST_AUTO_TEST_CASE(non_text_deltas_and_unknown_events_are_skipped) {
  BOOST_TEST(
      feed("content_block_delta",
           R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a"}})")
          .is_ok());
  BOOST_TEST(feed("content_block_delta",
                  R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}})")
                 .is_ok());
  BOOST_TEST(feed("future_event", R"({"type":"future_event","x":1})").is_ok());
  BOOST_TEST(delta.empty());
  BOOST_TEST(!decoder.usage().has_value());
}

BOOST_AUTO_TEST_CASE(json_type_wins_and_event_name_is_the_fallback) {
  BOOST_TEST(feed("", R"({"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}})").is_ok());
  BOOST_TEST(delta == "a");
  BOOST_TEST(feed("message_stop", "{}").is_ok());
  BOOST_TEST(decoder.is_done());
}

BOOST_AUTO_TEST_CASE(error_event_fails_with_its_message) {
  Status s = feed("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  BOOST_TEST(!s.is_ok());
  BOOST_TEST(s.message() == "Overloaded");
}

BOOST_AUTO_TEST_CASE(malformed_and_invalid_utf8_events) {
  BOOST_TEST(feed("content_block_delta", "{\"type\":").message() ==
             "Invalid response from anthropic: malformed JSON event");
  BOOST_TEST(feed("content_block_delta",
                  "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\","
                  "\"text\":\"\xE2\x82\"}}")
                 .message() == "Invalid response from anthropic: invalid UTF-8");
  BOOST_TEST(feed("content_block_delta", R"({"type":"content_block_delta","delta":{"type":"text_delta","text":1}})")
                 .message() == "Invalid response from anthropic: text_delta.text is not a string");
}

BOOST_AUTO_TEST_CASE(end_before_message_stop_is_a_cut_stream) {
  BOOST_TEST(feed("content_block_delta", R"({"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}})")
                 .is_ok());
  BOOST_TEST(decoder.on_end_of_body().message() == "Invalid response from anthropic: stream ended before message_stop");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers::anthropic
