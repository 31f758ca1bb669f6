// Tests of SseParser: line assembly across reads and the event rules of text/event-stream.
#include "processor/providers/sse_parser.h"

#include <boost/test/unit_test.hpp>

#include "common/json.h"

namespace aw::processor::providers {
namespace {

struct SseFixture {
  SseParser parser;
  std::vector<SseEvent> events;

  void feed_ok(std::string_view bytes) { BOOST_REQUIRE(parser.feed(bytes, events).is_ok()); }
  // Feeds `bytes` one byte at a time, the worst split a network can produce.
  void feed_bytewise(std::string_view bytes) {
    for (char c : bytes) feed_ok(std::string_view(&c, 1));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sse_parser, SseFixture)

BOOST_AUTO_TEST_CASE(blank_line_dispatches_one_event) {
  feed_ok("data: {\"a\":1}\n\n");
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_TEST(events[0].data == "{\"a\":1}");
  BOOST_TEST(events[0].type.empty());
  BOOST_TEST(!parser.has_partial_event());
}

BOOST_AUTO_TEST_CASE(crlf_and_cr_terminators_are_lines_too) {
  feed_ok("data: one\r\n\r\ndata: two\r\rdata: three\n\n");
  BOOST_REQUIRE_EQUAL(events.size(), 3u);
  BOOST_TEST(events[0].data == "one");
  BOOST_TEST(events[1].data == "two");
  BOOST_TEST(events[2].data == "three");
}

BOOST_AUTO_TEST_CASE(crlf_split_between_reads_is_one_terminator) {
  feed_ok("data: a\r");
  feed_ok("\ndata: b\r");
  feed_ok("\n\r");
  feed_ok("\n");
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_TEST(events[0].data == "a\nb");  // the LF after each CR started no empty line
}

BOOST_AUTO_TEST_CASE(lines_split_at_every_position_give_the_same_events) {
  const std::string stream =
      "event: message_start\r\ndata: {\"x\":\"first\"}\r\n\r\n: keep-alive\n\ndata: second\ndata: line\n\n";
  feed_bytewise(stream);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_TEST(events[0].type == "message_start");
  BOOST_TEST(events[0].data == "{\"x\":\"first\"}");
  BOOST_TEST(events[1].type.empty());  // the event type does not leak into the next event
  BOOST_TEST(events[1].data == "second\nline");
  for (std::size_t split = 1; split < stream.size(); ++split) {
    SseParser p;
    std::vector<SseEvent> got;
    BOOST_REQUIRE(p.feed(std::string_view(stream).substr(0, split), got).is_ok());
    BOOST_REQUIRE(p.feed(std::string_view(stream).substr(split), got).is_ok());
    BOOST_REQUIRE_EQUAL(got.size(), 2u);
    BOOST_TEST(got[1].data == "second\nline");
  }
}

BOOST_AUTO_TEST_CASE(comments_and_keep_alives_produce_no_events) {
  feed_ok(": ping\n\n:\n\n\n\nevent: ping\n\nretry: 100\nid: 7\n\n");
  BOOST_TEST(events.empty());
  BOOST_TEST(!parser.has_partial_event());
}

BOOST_AUTO_TEST_CASE(several_data_lines_join_with_newlines) {
  feed_ok("data: a\ndata:b\ndata\ndata:  c\n\n");
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  // One space after the colon is dropped, a second one kept; "data" alone is an empty line of data.
  BOOST_TEST(events[0].data == "a\nb\n\n c");
}

BOOST_AUTO_TEST_CASE(empty_data_field_is_still_an_event) {
  feed_ok("data:\n\n");
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_TEST(events[0].data.empty());
}

BOOST_AUTO_TEST_CASE(leading_bom_is_ignored) {
  feed_ok("\xEF\xBB");
  feed_ok(
      "\xBF"
      "data: x\n\n");
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_TEST(events[0].data == "x");
}

BOOST_AUTO_TEST_CASE(multibyte_utf8_split_across_reads_arrives_whole) {
  const std::string text = "h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE4\xBD\xA0\xE5\xA5\xBD";  // hé € 😀 你好
  feed_bytewise("data: " + text + "\n\n");
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_TEST(events[0].data == text);
  BOOST_TEST(json::is_valid_utf8(events[0].data));
}

BOOST_AUTO_TEST_CASE(huge_event_and_many_events_in_one_read) {
  const std::string big(1u << 20, 'x');
  std::string stream = "data: " + big + "\n\n";
  for (int i = 0; i < 1000; ++i) stream += "data: " + std::to_string(i) + "\n\n";
  // Delivered in 64 KiB reads, as a socket would.
  for (std::size_t pos = 0; pos < stream.size(); pos += 65536) feed_ok(std::string_view(stream).substr(pos, 65536));
  BOOST_REQUIRE_EQUAL(events.size(), 1001u);
  BOOST_TEST(events[0].data == big);
  BOOST_TEST(events[1000].data == "999");
}

BOOST_AUTO_TEST_CASE(line_or_event_over_the_limit_fails) {
  SseParser small(100);
  std::vector<SseEvent> out;
  BOOST_TEST(small.feed("data: " + std::string(50, 'a') + "\n", out).is_ok());
  Status s = small.feed("data: " + std::string(60, 'b') + "\n", out);  // the event passes 100 bytes
  BOOST_TEST(!s.is_ok());
  BOOST_TEST(s.message() == "event larger than 100 bytes");

  SseParser line_limit(100);
  Status unterminated = line_limit.feed(std::string(60, 'c'), out);
  BOOST_TEST(unterminated.is_ok());
  BOOST_TEST(!line_limit.feed(std::string(60, 'c'), out).is_ok());  // one line, never terminated
}

BOOST_AUTO_TEST_CASE(truncated_stream_leaves_a_partial_event) {
  feed_ok("data: {\"a\":");
  BOOST_TEST(parser.has_partial_event());
  SseParser other;
  BOOST_REQUIRE(other.feed("data: complete line\n", events).is_ok());
  BOOST_TEST(other.has_partial_event());  // the blank line never came
  BOOST_TEST(events.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers
