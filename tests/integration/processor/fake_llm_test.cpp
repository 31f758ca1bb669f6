// aw-fake-llm over real HTTP: the framing of the three provider formats (streaming and not) and the control
// endpoints (/health, /requests, /reset, /script). Rules and faults: fake_llm_rules_test.cpp; HTTP mechanics:
// fake_llm_http_test.cpp.
#include <boost/test/unit_test.hpp>

#include "common/time_util.h"
#include "tests/integration/processor/fake_llm_fixture.h"

namespace aw::test {
namespace {

bool starts_with(const std::string& s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(fake_llm_formats, FakeLlmFixture)

BOOST_AUTO_TEST_CASE(health_answers_on_the_published_port_and_listening_is_logged) {
  start();
  BOOST_REQUIRE_GT(port(), 0);
  const RawHttpResponse health = get("/health");
  BOOST_CHECK_EQUAL(health.status, 200);
  BOOST_CHECK_EQUAL(string_at(parse_json(health.body), "status"), "ok");
  BOOST_CHECK(process().wait_for_stderr("\"message\":\"listening\"", std::chrono::seconds(5)));
  BOOST_CHECK(process().stderr_text().find("\"port\":" + std::to_string(port())) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(openai_stream_sends_one_chunk_per_frame_and_ends_with_done) {
  start();
  const RawHttpResponse r = post("/v1/chat/completions", openai_body("hello world", true));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  BOOST_CHECK(r.end == RawHttpResponse::End::Complete);
  BOOST_CHECK(starts_with(r.header("content-type"), "text/event-stream"));
  BOOST_CHECK(r.chunked);
  const std::vector<SseEvent> events = parse_sse(r.body);
  BOOST_REQUIRE_GE(events.size(), 4u);
  BOOST_CHECK_EQUAL(r.chunks.size(), events.size());  // every frame is flushed as its own HTTP chunk
  BOOST_CHECK_EQUAL(events.back().data, "[DONE]");

  const json::Document first = parse_json(events.front().data);
  BOOST_CHECK_EQUAL(string_at(first, "choices/0/delta/role"), "assistant");
  const std::vector<std::string> deltas = openai_deltas(events);
  BOOST_CHECK_EQUAL(join(deltas), "Echo: hello world");
  BOOST_CHECK_EQUAL(deltas.size(), 4u);  // the role chunk's "" and three words
  std::string id;
  for (std::size_t i = 0; i + 1 < events.size(); ++i) {
    const json::Document chunk = parse_json(events[i].data);
    BOOST_CHECK_EQUAL(string_at(chunk, "object"), "chat.completion.chunk");
    BOOST_CHECK_EQUAL(string_at(chunk, "model"), "gpt-test");
    BOOST_CHECK(json_at(chunk, "usage") == nullptr);  // no usage without stream_options.include_usage
    if (i == 0) id = string_at(chunk, "id");
    BOOST_CHECK_EQUAL(string_at(chunk, "id"), id);
    const bool finish = i + 2 == events.size();
    BOOST_CHECK_EQUAL(string_at(chunk, "choices/0/finish_reason"), finish ? "stop" : "<absent>");
  }
  BOOST_CHECK(starts_with(id, "chatcmpl-"));
}

BOOST_AUTO_TEST_CASE(openai_stream_adds_the_usage_chunk_when_asked) {
  start();
  const RawHttpResponse r = post("/v1/chat/completions", openai_body("count me", true, true));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  const std::vector<SseEvent> events = parse_sse(r.body);
  BOOST_REQUIRE_GE(events.size(), 3u);
  BOOST_CHECK_EQUAL(events.back().data, "[DONE]");
  const json::Document usage = parse_json(events[events.size() - 2].data);
  const json::Value* choices = json_at(usage, "choices");
  BOOST_CHECK(choices != nullptr && choices->IsArray() && choices->Empty());
  BOOST_CHECK_GT(int_at(usage, "usage/prompt_tokens"), 0);
  BOOST_CHECK_EQUAL(int_at(usage, "usage/completion_tokens"), 3);  // "Echo: ", "count ", "me"
  BOOST_CHECK_EQUAL(int_at(usage, "usage/total_tokens"),
                    int_at(usage, "usage/prompt_tokens") + int_at(usage, "usage/completion_tokens"));
  const json::Document earlier = parse_json(events.front().data);
  BOOST_REQUIRE(json_at(earlier, "usage") != nullptr);
  BOOST_CHECK(json_at(earlier, "usage")->IsNull());  // as the real API: null until the last chunk
}

BOOST_AUTO_TEST_CASE(openai_without_stream_answers_one_completion) {
  start();
  const RawHttpResponse r = post("/v1/chat/completions", openai_body("hi", false));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  BOOST_CHECK(!r.chunked);
  BOOST_CHECK_EQUAL(r.header("content-type"), "application/json");
  const json::Document doc = parse_json(r.body);
  BOOST_CHECK_EQUAL(string_at(doc, "object"), "chat.completion");
  BOOST_CHECK_EQUAL(string_at(doc, "choices/0/message/role"), "assistant");
  BOOST_CHECK_EQUAL(string_at(doc, "choices/0/message/content"), "Echo: hi");
  BOOST_CHECK_EQUAL(string_at(doc, "choices/0/finish_reason"), "stop");
  BOOST_CHECK_EQUAL(int_at(doc, "usage/completion_tokens"), 2);
}

BOOST_AUTO_TEST_CASE(azure_deployment_path_is_served_as_openai) {
  start();
  const RawHttpResponse r = post("/openai/deployments/dep-1/chat/completions?api-version=2024-10-21",
                                 openai_body("from azure", true), {{"api-key", "azure-key"}});
  BOOST_REQUIRE_EQUAL(r.status, 200);
  BOOST_CHECK_EQUAL(join(openai_deltas(parse_sse(r.body))), "Echo: from azure");
  const json::Document log = logged_requests();
  BOOST_REQUIRE_EQUAL(log.Size(), 1u);
  BOOST_CHECK_EQUAL(string_at(log, "0/path"), "/openai/deployments/dep-1/chat/completions");
  BOOST_CHECK_EQUAL(string_at(log, "0/query"), "api-version=2024-10-21");
  BOOST_CHECK_EQUAL(string_at(log, "0/headers/api-key"), "azure-key");
  BOOST_CHECK_EQUAL(string_at(log, "0/format"), "openai");
}

BOOST_AUTO_TEST_CASE(anthropic_stream_sends_the_messages_event_sequence) {
  start();
  const RawHttpResponse r = post("/v1/messages", anthropic_body("hello there friend", true),
                                 {{"x-api-key", "k"}, {"anthropic-version", "2023-06-01"}});
  BOOST_REQUIRE_EQUAL(r.status, 200);
  BOOST_CHECK(starts_with(r.header("content-type"), "text/event-stream"));
  const std::vector<SseEvent> events = parse_sse(r.body);
  std::vector<std::string> names;
  for (const auto& e : events) {
    names.push_back(e.event);
    BOOST_CHECK_EQUAL(string_at(parse_json(e.data), "type"), e.event);  // data.type repeats the event name
  }
  const std::vector<std::string> expected{"message_start",       "content_block_start", "ping",
                                          "content_block_delta", "content_block_delta", "content_block_delta",
                                          "content_block_delta", "content_block_stop",  "message_delta",
                                          "message_stop"};
  BOOST_CHECK_EQUAL_COLLECTIONS(names.begin(), names.end(), expected.begin(), expected.end());
  BOOST_CHECK_EQUAL(join(anthropic_deltas(events)), "Echo: hello there friend");
  const json::Document start_event = parse_json(events[0].data);
  BOOST_CHECK_GT(int_at(start_event, "message/usage/input_tokens"), 0);
  BOOST_CHECK_EQUAL(string_at(start_event, "message/model"), "claude-test");
  BOOST_CHECK(starts_with(string_at(start_event, "message/id"), "msg_"));
  const json::Document delta = parse_json(events[events.size() - 2].data);
  BOOST_CHECK_EQUAL(string_at(delta, "delta/stop_reason"), "end_turn");
  BOOST_CHECK_EQUAL(int_at(delta, "usage/output_tokens"), 4);
}

BOOST_AUTO_TEST_CASE(anthropic_without_stream_answers_a_message_with_text_blocks) {
  start();
  const RawHttpResponse r = post("/anthropic/v1/messages", anthropic_body("hi", false));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  const json::Document doc = parse_json(r.body);
  BOOST_CHECK_EQUAL(string_at(doc, "type"), "message");
  BOOST_CHECK_EQUAL(string_at(doc, "content/0/type"), "text");
  BOOST_CHECK_EQUAL(string_at(doc, "content/0/text"), "Echo: hi");
  BOOST_CHECK_EQUAL(string_at(doc, "stop_reason"), "end_turn");
  BOOST_CHECK_EQUAL(int_at(doc, "usage/output_tokens"), 2);
}

BOOST_AUTO_TEST_CASE(gemini_stream_sends_crlf_data_lines_and_finishes_on_the_last) {
  start();
  const RawHttpResponse r = post("/v1beta/models/gemini-test:streamGenerateContent?alt=sse", gemini_body("hola mundo"),
                                 {{"x-goog-api-key", "g"}});
  BOOST_REQUIRE_EQUAL(r.status, 200);
  BOOST_CHECK(starts_with(r.header("content-type"), "text/event-stream"));
  for (const auto& chunk : r.chunks) {
    BOOST_CHECK(chunk.size() >= 4 && chunk.compare(chunk.size() - 4, 4, "\r\n\r\n") == 0);
  }
  const std::vector<SseEvent> events = parse_sse(r.body);
  BOOST_REQUIRE_EQUAL(events.size(), 3u);
  BOOST_CHECK_EQUAL(join(gemini_deltas(events)), "Echo: hola mundo");
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json::Document doc = parse_json(events[i].data);
    const bool last = i + 1 == events.size();
    BOOST_CHECK_EQUAL(string_at(doc, "candidates/0/content/role"), "model");
    BOOST_CHECK_EQUAL(string_at(doc, "candidates/0/finishReason"), last ? "STOP" : "<absent>");
    BOOST_CHECK_GT(int_at(doc, "usageMetadata/promptTokenCount"), 0);
    BOOST_CHECK_EQUAL(int_at(doc, "usageMetadata/candidatesTokenCount"), last ? 3 : -1);
    BOOST_CHECK_EQUAL(string_at(doc, "modelVersion"), "gemini-test");
  }
}

BOOST_AUTO_TEST_CASE(gemini_generate_content_answers_one_response) {
  start();
  const RawHttpResponse r = post("/v1beta/models/gemini-test:generateContent", gemini_body("title please"));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  const json::Document doc = parse_json(r.body);
  BOOST_CHECK_EQUAL(string_at(doc, "candidates/0/content/parts/0/text"), "Echo: title please");
  BOOST_CHECK_EQUAL(string_at(doc, "candidates/0/finishReason"), "STOP");
  BOOST_CHECK_EQUAL(int_at(doc, "usageMetadata/totalTokenCount"),
                    int_at(doc, "usageMetadata/promptTokenCount") + int_at(doc, "usageMetadata/candidatesTokenCount"));
}

BOOST_AUTO_TEST_CASE(gemini_stream_without_alt_sse_is_refused) {
  start();
  const RawHttpResponse r = post("/v1beta/models/gemini-test:streamGenerateContent", gemini_body("x"));
  BOOST_CHECK_EQUAL(r.status, 400);
  BOOST_CHECK(string_at(parse_json(r.body), "error/message").find("alt=sse") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(requests_log_records_method_path_headers_and_parsed_body) {
  start();
  const EpochMs before = now_ms();
  BOOST_REQUIRE_EQUAL(get("/health").status, 200);  // control endpoints are not logged
  BOOST_REQUIRE_EQUAL(
      post("/v1/chat/completions", openai_body("what is 2+2?", true), {{"Authorization", "Bearer sk-test"}}).status,
      200);
  const json::Document log = logged_requests();
  BOOST_REQUIRE_EQUAL(log.Size(), 1u);
  BOOST_CHECK_EQUAL(string_at(log, "0/method"), "POST");
  BOOST_CHECK_EQUAL(string_at(log, "0/path"), "/v1/chat/completions");
  BOOST_CHECK_EQUAL(string_at(log, "0/query"), "");
  BOOST_CHECK_EQUAL(string_at(log, "0/headers/authorization"), "Bearer sk-test");
  BOOST_CHECK_EQUAL(string_at(log, "0/headers/content-type"), "application/json");
  BOOST_CHECK_EQUAL(string_at(log, "0/body/messages/0/role"), "system");
  BOOST_CHECK_EQUAL(string_at(log, "0/body/messages/1/content"), "what is 2+2?");
  BOOST_CHECK(json_at(log, "0/body/stream") != nullptr && json_at(log, "0/body/stream")->IsTrue());
  BOOST_CHECK_EQUAL(string_at(log, "0/format"), "openai");
  BOOST_CHECK(json_at(log, "0/rule") != nullptr && json_at(log, "0/rule")->IsNull());  // no script: the echo answered
  const std::optional<EpochMs> time = parse_iso8601_ms(string_at(log, "0/time"));
  BOOST_REQUIRE(time.has_value());
  BOOST_CHECK_EQUAL(*time, int_at(log, "0/time_ms"));
  BOOST_CHECK_GE(*time, before);
}

BOOST_AUTO_TEST_CASE(reset_clears_the_log_and_the_rule_counters) {
  start(R"({"rules":[{"match":{"any":true},"times":1,"reply":"first only"}]})");
  BOOST_CHECK_EQUAL(
      string_at(parse_json(post("/v1/chat/completions", openai_body("a", false)).body), "choices/0/message/content"),
      "first only");
  BOOST_CHECK_EQUAL(
      string_at(parse_json(post("/v1/chat/completions", openai_body("b", false)).body), "choices/0/message/content"),
      "Echo: b");
  BOOST_CHECK_EQUAL(logged_requests().Size(), 2u);

  const RawHttpResponse reset = post("/reset", "");
  BOOST_CHECK_EQUAL(reset.status, 200);
  BOOST_CHECK_EQUAL(logged_requests().Size(), 0u);
  BOOST_CHECK_EQUAL(
      string_at(parse_json(post("/v1/chat/completions", openai_body("c", false)).body), "choices/0/message/content"),
      "first only");
}

BOOST_AUTO_TEST_CASE(script_endpoint_replaces_the_rules_and_refuses_bad_scripts) {
  start();
  const RawHttpResponse replaced = post("/script", R"({"rules":[{"match":{"any":true},"reply":"scripted"}]})");
  BOOST_REQUIRE_EQUAL(replaced.status, 200);
  BOOST_CHECK_EQUAL(int_at(parse_json(replaced.body), "rules"), 1);
  BOOST_CHECK_EQUAL(
      string_at(parse_json(post("/v1/chat/completions", openai_body("x", false)).body), "choices/0/message/content"),
      "scripted");

  const RawHttpResponse refused = post("/script", R"({"rules":[{"match":{"any":true},"replyy":"typo"}]})");
  BOOST_CHECK_EQUAL(refused.status, 400);
  BOOST_CHECK(string_at(parse_json(refused.body), "error/message").find("rules[0].replyy") != std::string::npos);
  BOOST_CHECK_EQUAL(post("/script", "not json").status, 400);
  // The rules in force are unchanged by a refused script.
  BOOST_CHECK_EQUAL(
      string_at(parse_json(post("/v1/chat/completions", openai_body("y", false)).body), "choices/0/message/content"),
      "scripted");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
