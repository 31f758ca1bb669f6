// aw-fake-llm over real HTTP: scripted rules (matching, times, default reply) and the faults they inject (HTTP
// failures with Retry-After, cut and stalled streams, malformed lines, in-stream errors, empty completions,
// scripted usage, chunking and pacing).
#include <boost/test/unit_test.hpp>

#include "common/json.h"
#include "tests/integration/processor/fake_llm_fixture.h"

namespace aw::test {
namespace {

constexpr std::string_view kOpenAi = "/v1/chat/completions";
constexpr std::string_view kAnthropic = "/v1/messages";
constexpr std::string_view kGeminiStream = "/v1beta/models/gemini-test:streamGenerateContent?alt=sse";

std::vector<std::string> non_empty(const std::vector<std::string>& deltas) {
  std::vector<std::string> out;
  for (const auto& d : deltas) {
    if (!d.empty()) out.push_back(d);
  }
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(fake_llm_rules, FakeLlmFixture)

BOOST_AUTO_TEST_CASE(rules_match_on_the_last_user_text_model_and_path) {
  start(R"({"rules":[
    {"match":{"equals":"exact"},"reply":"by equals"},
    {"match":{"contains":"needle"},"reply":"by contains"},
    {"match":{"regex":"^ask \\d+$"},"reply":"by regex"},
    {"match":{"model":"special-model"},"reply":"by model"},
    {"match":{"provider_path":"/v1/messages"},"reply":"by path"}]})");
  const auto openai_reply = [this](std::string_view text, std::string_view model = "gpt-test") {
    return string_at(parse_json(post(kOpenAi, openai_body(text, false, false, model)).body),
                     "choices/0/message/content");
  };
  BOOST_CHECK_EQUAL(openai_reply("exact"), "by equals");
  BOOST_CHECK_EQUAL(openai_reply("exact but longer"), "Echo: exact but longer");
  BOOST_CHECK_EQUAL(openai_reply("a needle here"), "by contains");
  BOOST_CHECK_EQUAL(openai_reply("ask 42"), "by regex");
  BOOST_CHECK_EQUAL(openai_reply("other", "special-model"), "by model");
  BOOST_CHECK_EQUAL(string_at(parse_json(post(kAnthropic, anthropic_body("other", false)).body), "content/0/text"),
                    "by path");

  const json::Document log = logged_requests();
  BOOST_REQUIRE_EQUAL(log.Size(), 6u);
  const std::vector<std::int64_t> rules{0, -1, 1, 2, 3, 4};
  for (rapidjson::SizeType i = 0; i < log.Size(); ++i) BOOST_CHECK_EQUAL(int_at(log[i], "rule"), rules[i]);
}

BOOST_AUTO_TEST_CASE(only_the_last_user_message_is_matched_whatever_its_shape) {
  start(R"([{"match":{"contains":"needle"},"reply":"matched"}])");
  // An earlier user message with the needle does not count.
  const std::string history =
      R"({"model":"m","messages":[{"role":"user","content":"needle"},{"role":"assistant","content":"needle"},)"
      R"({"role":"user","content":"plain"}]})";
  BOOST_CHECK_EQUAL(string_at(parse_json(post(kOpenAi, history).body), "choices/0/message/content"), "Echo: plain");
  // OpenAI content parts, Anthropic text blocks and Gemini parts are read as text.
  const std::string parts =
      R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a needle"}]}]})";
  BOOST_CHECK_EQUAL(string_at(parse_json(post(kOpenAi, parts).body), "choices/0/message/content"), "matched");
  const std::string blocks =
      R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"needle"}]}]})";
  BOOST_CHECK_EQUAL(string_at(parse_json(post(kAnthropic, blocks).body), "content/0/text"), "matched");
  const RawHttpResponse gemini = post("/v1beta/models/g:generateContent", gemini_body("the needle"));
  BOOST_CHECK_EQUAL(string_at(parse_json(gemini.body), "candidates/0/content/parts/0/text"), "matched");
}

BOOST_AUTO_TEST_CASE(default_reply_flag_replaces_the_echo) {
  start({}, {"--default-reply", "Fixed answer"});
  BOOST_CHECK_EQUAL(join(openai_deltas(parse_sse(post(kOpenAi, openai_body("anything", true)).body))), "Fixed answer");
}

BOOST_AUTO_TEST_CASE(fail_twice_then_reply_is_two_rules) {
  start(R"({"rules":[
    {"match":{"any":true},"times":2,"fail":{"status":503,"retry_after":"2"}},
    {"match":{"any":true},"reply":"ok"}]})");
  for (int attempt = 0; attempt < 2; ++attempt) {
    const RawHttpResponse failed = post(kOpenAi, openai_body("try", true));
    BOOST_CHECK_EQUAL(failed.status, 503);
    BOOST_CHECK_EQUAL(failed.header("retry-after"), "2");
    BOOST_CHECK_EQUAL(failed.header("content-type"), "application/json");
    BOOST_CHECK_EQUAL(string_at(parse_json(failed.body), "error/message"), "Service Unavailable");
  }
  const RawHttpResponse ok = post(kOpenAi, openai_body("try", true));
  BOOST_CHECK_EQUAL(ok.status, 200);
  BOOST_CHECK_EQUAL(join(openai_deltas(parse_sse(ok.body))), "ok");
}

BOOST_AUTO_TEST_CASE(failures_use_each_provider_error_shape_or_the_scripted_body) {
  start(R"({"rules":[
    {"match":{"contains":"custom"},"fail":{"status":500,"body":"upstream exploded","content_type":"text/plain"}},
    {"match":{"any":true},"fail":{"status":401,"message":"Incorrect API key provided"}}]})");
  const json::Document openai = parse_json(post(kOpenAi, openai_body("x", true)).body);
  BOOST_CHECK_EQUAL(string_at(openai, "error/message"), "Incorrect API key provided");
  BOOST_CHECK_EQUAL(string_at(openai, "error/code"), "invalid_api_key");
  const RawHttpResponse anthropic = post(kAnthropic, anthropic_body("x", true));
  BOOST_CHECK_EQUAL(anthropic.status, 401);
  BOOST_CHECK_EQUAL(string_at(parse_json(anthropic.body), "type"), "error");
  BOOST_CHECK_EQUAL(string_at(parse_json(anthropic.body), "error/type"), "authentication_error");
  BOOST_CHECK_EQUAL(string_at(parse_json(anthropic.body), "error/message"), "Incorrect API key provided");
  const json::Document gemini = parse_json(post(kGeminiStream, gemini_body("x")).body);
  BOOST_CHECK_EQUAL(int_at(gemini, "error/code"), 401);
  BOOST_CHECK_EQUAL(string_at(gemini, "error/status"), "UNAUTHENTICATED");
  const RawHttpResponse custom = post(kOpenAi, openai_body("custom", true));
  BOOST_CHECK_EQUAL(custom.status, 500);
  BOOST_CHECK_EQUAL(custom.header("content-type"), "text/plain");
  BOOST_CHECK_EQUAL(custom.body, "upstream exploded");
}

BOOST_AUTO_TEST_CASE(cut_closes_the_connection_mid_stream_without_the_terminator) {
  start(R"([{"match":{"any":true},"reply":"one two three four","cut_after_chunks":2}])");
  const RawHttpResponse r = post(kOpenAi, openai_body("x", true));
  BOOST_CHECK_EQUAL(r.status, 200);
  BOOST_CHECK(r.end == RawHttpResponse::End::Closed);
  const std::vector<SseEvent> events = parse_sse(r.body);
  const std::vector<std::string> expected{"one ", "two "};
  const std::vector<std::string> got = non_empty(openai_deltas(events));
  BOOST_CHECK_EQUAL_COLLECTIONS(got.begin(), got.end(), expected.begin(), expected.end());
  BOOST_CHECK(events.empty() || events.back().data != "[DONE]");
  // Without streaming, a cut is a connection closed without any answer.
  const RawHttpResponse plain = post(kOpenAi, openai_body("x", false));
  BOOST_CHECK_EQUAL(plain.status, 0);
  BOOST_CHECK(plain.end == RawHttpResponse::End::Closed);
}

BOOST_AUTO_TEST_CASE(stall_keeps_the_connection_silent_until_the_stall_limit) {
  start(R"([{"match":{"any":true},"reply":"first second","stall_after_chunks":1}])", {"--stall-limit-ms", "1500"});
  Result<RawHttpConnection> connection = RawHttpConnection::connect(port());
  BOOST_REQUIRE(connection.is_ok());
  BOOST_REQUIRE(connection->send(http_request_text("POST", kOpenAi, openai_body("x", true))).is_ok());
  const RawHttpResponse r = connection->read_response(std::chrono::seconds(5), 2);  // role chunk, "first "
  BOOST_CHECK_EQUAL(r.status, 200);
  BOOST_CHECK(r.end == RawHttpResponse::End::Partial);
  const std::vector<std::string> got = non_empty(openai_deltas(parse_sse(r.body)));
  BOOST_REQUIRE_EQUAL(got.size(), 1u);
  BOOST_CHECK_EQUAL(got[0], "first ");
  // Then silence (no chunk, no terminator, no close) while other clients are served...
  BOOST_CHECK_EQUAL(connection->read_for(std::chrono::milliseconds(300)), "");
  BOOST_CHECK_EQUAL(get("/health").status, 200);
  // ...until the server closes the stalled connection at the limit.
  BOOST_CHECK(connection->wait_closed(std::chrono::seconds(10)));
}

BOOST_AUTO_TEST_CASE(malformed_line_is_inserted_verbatim_and_the_stream_goes_on) {
  start(R"([{"match":{"any":true},"reply":"a b","malformed":"{not json","malformed_after_chunks":1}])");
  const RawHttpResponse r = post(kOpenAi, openai_body("x", true));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  const std::vector<SseEvent> events = parse_sse(r.body);
  // role chunk, "a ", the malformed line, "b", finish, [DONE]
  BOOST_REQUIRE_EQUAL(events.size(), 6u);
  BOOST_CHECK_EQUAL(events[2].data, "{not json");
  BOOST_CHECK_EQUAL(events.back().data, "[DONE]");
  BOOST_CHECK_EQUAL(post(kOpenAi, openai_body("x", false)).body, "{not json");
}

BOOST_AUTO_TEST_CASE(stream_error_ends_the_stream_with_the_provider_error) {
  start(R"([{"match":{"any":true},"reply":"a b c","stream_error":{"message":"boom","after_chunks":1}}])");
  const RawHttpResponse openai = post(kOpenAi, openai_body("x", true));
  BOOST_CHECK(openai.end == RawHttpResponse::End::Complete);
  const std::vector<SseEvent> events = parse_sse(openai.body);
  BOOST_REQUIRE_EQUAL(events.size(), 3u);  // role chunk, "a ", the error
  BOOST_CHECK_EQUAL(string_at(parse_json(events[2].data), "error/message"), "boom");
  const std::vector<SseEvent> anthropic = parse_sse(post(kAnthropic, anthropic_body("x", true)).body);
  BOOST_REQUIRE(!anthropic.empty());
  BOOST_CHECK_EQUAL(anthropic.back().event, "error");
  BOOST_CHECK_EQUAL(string_at(parse_json(anthropic.back().data), "error/message"), "boom");
  const RawHttpResponse plain = post(kOpenAi, openai_body("x", false));
  BOOST_CHECK_EQUAL(plain.status, 500);
  BOOST_CHECK_EQUAL(string_at(parse_json(plain.body), "error/message"), "boom");
}

BOOST_AUTO_TEST_CASE(empty_completion_has_no_text_in_any_format) {
  start(R"([{"match":{"any":true},"empty":true}])");
  const std::vector<SseEvent> openai = parse_sse(post(kOpenAi, openai_body("x", true)).body);
  BOOST_CHECK(non_empty(openai_deltas(openai)).empty());
  BOOST_REQUIRE_GE(openai.size(), 2u);
  BOOST_CHECK_EQUAL(string_at(parse_json(openai[openai.size() - 2].data), "choices/0/finish_reason"), "stop");
  BOOST_CHECK_EQUAL(openai.back().data, "[DONE]");

  const std::vector<SseEvent> anthropic = parse_sse(post(kAnthropic, anthropic_body("x", true)).body);
  BOOST_CHECK(anthropic_deltas(anthropic).empty());
  BOOST_REQUIRE(!anthropic.empty());
  BOOST_CHECK_EQUAL(anthropic.back().event, "message_stop");

  const std::vector<SseEvent> gemini = parse_sse(post(kGeminiStream, gemini_body("x")).body);
  BOOST_REQUIRE_EQUAL(gemini.size(), 1u);
  BOOST_CHECK_EQUAL(join(gemini_deltas(gemini)), "");
  BOOST_CHECK_EQUAL(string_at(parse_json(gemini[0].data), "candidates/0/finishReason"), "STOP");

  const json::Document plain = parse_json(post(kOpenAi, openai_body("x", false)).body);
  BOOST_CHECK_EQUAL(string_at(plain, "choices/0/message/content"), "");
}

BOOST_AUTO_TEST_CASE(scripted_usage_is_reported_in_every_format) {
  start(R"([{"match":{"any":true},"reply":"r","usage":{"input":11,"output":7}}])");
  const std::vector<SseEvent> openai = parse_sse(post(kOpenAi, openai_body("x", true, true)).body);
  BOOST_REQUIRE_GE(openai.size(), 2u);
  const json::Document usage = parse_json(openai[openai.size() - 2].data);
  BOOST_CHECK_EQUAL(int_at(usage, "usage/prompt_tokens"), 11);
  BOOST_CHECK_EQUAL(int_at(usage, "usage/completion_tokens"), 7);
  BOOST_CHECK_EQUAL(int_at(usage, "usage/total_tokens"), 18);

  const std::vector<SseEvent> anthropic = parse_sse(post(kAnthropic, anthropic_body("x", true)).body);
  BOOST_REQUIRE_GE(anthropic.size(), 3u);
  BOOST_CHECK_EQUAL(int_at(parse_json(anthropic.front().data), "message/usage/input_tokens"), 11);
  BOOST_CHECK_EQUAL(int_at(parse_json(anthropic[anthropic.size() - 2].data), "usage/output_tokens"), 7);

  const std::vector<SseEvent> gemini = parse_sse(post(kGeminiStream, gemini_body("x")).body);
  BOOST_REQUIRE(!gemini.empty());
  const json::Document last = parse_json(gemini.back().data);
  BOOST_CHECK_EQUAL(int_at(last, "usageMetadata/promptTokenCount"), 11);
  BOOST_CHECK_EQUAL(int_at(last, "usageMetadata/candidatesTokenCount"), 7);
  BOOST_CHECK_EQUAL(int_at(last, "usageMetadata/totalTokenCount"), 18);
}

BOOST_AUTO_TEST_CASE(chunks_and_chunk_size_split_the_reply_on_code_points) {
  start(R"({"rules":[
    {"match":{"equals":"explicit"},"chunks":["Hel","lo, ","wor","ld"]},
    {"match":{"equals":"sized"},"reply":"h\u00e9llo\u2713!","chunk_size":2}]})");
  const std::vector<std::string> explicit_chunks =
      non_empty(anthropic_deltas(parse_sse(post(kAnthropic, anthropic_body("explicit", true)).body)));
  const std::vector<std::string> expected{"Hel", "lo, ", "wor", "ld"};
  BOOST_CHECK_EQUAL_COLLECTIONS(explicit_chunks.begin(), explicit_chunks.end(), expected.begin(), expected.end());

  const std::vector<std::string> sized =
      non_empty(openai_deltas(parse_sse(post(kOpenAi, openai_body("sized", true)).body)));
  const std::vector<std::string> by_two{"h\xC3\xA9", "ll", "o\xE2\x9C\x93", "!"};
  BOOST_CHECK_EQUAL_COLLECTIONS(sized.begin(), sized.end(), by_two.begin(), by_two.end());
  for (const auto& chunk : sized) BOOST_CHECK(json::is_valid_utf8(chunk));
}

BOOST_AUTO_TEST_CASE(chunk_delays_space_the_text_chunks) {
  // 60 ms before each of three text chunks, by rule and by flag: the third cannot arrive before 180 ms.
  start(R"([{"match":{"equals":"ruled"},"reply":"a b c","delay_ms_per_chunk":60}])", {"--chunk-delay-ms", "60"});
  const auto third_text_chunk_ms = [this](std::string_view target, const std::string& body, std::size_t index) {
    const auto sent = std::chrono::steady_clock::now();
    const RawHttpResponse r = post(target, body);
    BOOST_REQUIRE_EQUAL(r.status, 200);
    BOOST_REQUIRE_EQUAL(r.chunks.size(), r.chunk_times.size());
    BOOST_REQUIRE_GT(r.chunks.size(), index);
    return std::chrono::duration_cast<std::chrono::milliseconds>(r.chunk_times[index] - sent).count();
  };
  // OpenAI: chunk 0 is the undelayed role chunk. Gemini has no opening frame: its first chunk is text.
  BOOST_CHECK_GE(third_text_chunk_ms(kOpenAi, openai_body("ruled", true), 3), 180);
  BOOST_CHECK_GE(third_text_chunk_ms(kOpenAi, openai_body("by flag", true), 3), 180);
  BOOST_CHECK_GE(third_text_chunk_ms(kGeminiStream, gemini_body("ruled"), 2), 180);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
