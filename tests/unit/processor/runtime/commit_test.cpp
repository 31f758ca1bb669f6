// The commit body (bus-protocol.md §7) and the event payload shapes (ws-protocol.md §5.2).
#include "processor/runtime/commit.h"

#include <boost/test/unit_test.hpp>

#include "common/json.h"
#include "processor/runtime/event_payloads.h"

using namespace aw;
using namespace aw::processor;

namespace {

json::Document parse(const std::string& text) {
  auto doc = json::parse_trusted(text);
  BOOST_REQUIRE_MESSAGE(doc.is_ok(), "not JSON: " + text);
  return std::move(doc.value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(commit_and_payloads)

BOOST_AUTO_TEST_CASE(an_empty_commit_has_every_field) {
  Commit commit;
  commit.world_id = "w";
  commit.run_id = "m1";
  commit.attempt = 3;
  BOOST_TEST(commit_to_json(commit, "host-1-abc") ==
             R"({"v":1,"kind":"commit","processorId":"host-1-abc","worldId":"w","runId":"m1","attempt":3,)"
             R"("lastIndex":-1,"outcome":"completed","messages":[],"memory":[],"agents":[]})");
}

BOOST_AUTO_TEST_CASE(a_commit_carries_messages_rows_and_absolute_counters) {
  Commit commit;
  commit.world_id = "w";
  commit.run_id = "m1";
  commit.attempt = 1;
  commit.last_index = 12;
  commit.outcome = CommitOutcome::RunTimeout;
  commit.messages.push_back({"Hello \"there\"\n", "a1", "2025-11-02T12:00:01.000Z", "X", "c1", std::string("m1")});
  commit.memory.push_back({"a1", "c1", "user", "hi", "human", "m1", std::nullopt, "2025-11-02T12:00:00.500Z"});
  commit.agents.push_back(
      {"a1", 4, 1, std::string("2025-11-02T12:00:00.600Z"), std::string("2025-11-02T12:00:00.600Z")});
  commit.agents.push_back({"a2", 5, 0, std::nullopt, std::nullopt});
  json::Document doc = parse(commit_to_json(commit, "p"));
  BOOST_TEST(*json::get_string(doc, "outcome") == "run_timeout");
  BOOST_TEST(*json::get_int(doc, "lastIndex") == 12);
  const auto& message = doc["messages"][0];
  BOOST_TEST(*json::get_string(message, "content") == "Hello \"there\"\n");
  BOOST_TEST(*json::get_string(message, "replyToMessageId") == "m1");
  BOOST_TEST(*json::get_string(message, "timestamp") == "2025-11-02T12:00:01.000Z");
  const auto& row = doc["memory"][0];
  BOOST_TEST(*json::get_string(row, "agentId") == "a1");
  BOOST_TEST(*json::get_string(row, "role") == "user");
  BOOST_TEST(!json::find(row, "replyToMessageId"));
  BOOST_TEST(*json::get_string(row, "createdAt") == "2025-11-02T12:00:00.500Z");
  BOOST_TEST(*json::get_int(doc["agents"][0], "llmCallCount") == 1);
  BOOST_TEST(*json::get_int(doc["agents"][0], "rev") == 4);
  BOOST_TEST(*json::get_string(doc["agents"][0], "lastLLMCall") == "2025-11-02T12:00:00.600Z");
  BOOST_TEST(!json::find(doc["agents"][1], "lastLLMCall"));
}

BOOST_AUTO_TEST_CASE(invalid_utf8_from_a_provider_still_yields_valid_json) {
  std::string payload = sse_chunk_payload("a1", "bad \xff byte", "X");
  json::Document doc = parse(payload);
  BOOST_TEST(*json::get_string(doc, "content") == "bad \xEF\xBF\xBD byte");
}

BOOST_AUTO_TEST_CASE(sse_payloads_have_the_ws_protocol_shapes) {
  BOOST_TEST(sse_start_payload("a1", "X") == R"({"agentName":"a1","type":"start","messageId":"X"})");
  BOOST_TEST(sse_chunk_payload("a1", "He", "X") ==
             R"({"agentName":"a1","type":"chunk","content":"He","messageId":"X"})");
  BOOST_TEST(sse_end_payload("a1", "X", std::nullopt) == R"({"agentName":"a1","type":"end","messageId":"X"})");
  BOOST_TEST(sse_end_payload("a1", "X", LlmUsage{3, 4, 7}) ==
             R"({"agentName":"a1","type":"end","messageId":"X","usage":{"inputTokens":3,"outputTokens":4,)"
             R"("totalTokens":7}})");
  BOOST_TEST(sse_error_payload("a1", "401 Bad key", "X") ==
             R"({"agentName":"a1","type":"error","error":"401 Bad key","messageId":"X"})");
}

BOOST_AUTO_TEST_CASE(the_error_system_event_wraps_the_text) {
  BOOST_TEST(system_error_payload("401 Bad key", "T", "S", "c1") ==
             R"({"content":{"message":"[Error] 401 Bad key","type":"error"},"timestamp":"T","messageId":"S",)"
             R"("chatId":"c1"})");
}

BOOST_AUTO_TEST_CASE(activity_payloads_name_the_next_agent_only_while_one_waits) {
  ActivityContext context{7, "m1", "w", 100};
  ActivitySnapshot start;
  start.type = ActivityType::ResponseStart;
  start.pending_operations = 2;
  start.source = "agent:a2";
  start.active_sources = {"agent:a1", "agent:a2"};
  start.queue_length = 2;
  start.next_agent = "a1";
  BOOST_TEST(world_activity_payload(start, context, "T", "E") ==
             R"({"type":"response-start","pendingOperations":2,"activityId":7,"timestamp":"T","source":"agent:a2",)"
             R"("activeSources":["agent:a1","agent:a2"],"queue":{"queueLength":2,"processing":false,)"
             R"("nextAgent":"a1","nextWorld":"w","maxQueueSize":100},"messageId":"E","runId":"m1"})");
  ActivitySnapshot idle;
  BOOST_TEST(world_activity_payload(idle, context, "T", "E") ==
             R"({"type":"idle","pendingOperations":0,"activityId":7,"timestamp":"T","activeSources":[],)"
             R"("queue":{"queueLength":0,"processing":false,"maxQueueSize":100},"messageId":"E","runId":"m1"})");
}

BOOST_AUTO_TEST_SUITE_END()
