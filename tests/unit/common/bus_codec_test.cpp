// Bus codec: round trips of every kind, the encoded bodies against proto/bus/*.schema.json, rejection of invalid
// bodies, wrong versions and wrong topics; topics and processor ids (bus-protocol.md §1, §2).
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "common/bus/bus_codec.h"
#include "common/bus/bus_topics.h"
#include "common/json.h"
// After common/json.h, so the schema validator sees the project's RapidJSON configuration.
#include <rapidjson/schema.h>

namespace aw::bus {
namespace {

std::string schema_path(std::string_view kind) {
  std::string here = __FILE__;  // <root>/tests/unit/common/bus_codec_test.cpp
  return here.substr(0, here.rfind("/tests/unit/common/")) + "/proto/bus/" + std::string(kind) + ".schema.json";
}

// True when the body validates against its kind's schema.
bool matches_schema(const Frame& frame, std::string_view kind) {
  std::ifstream in(schema_path(kind));
  BOOST_REQUIRE_MESSAGE(in, "missing schema " << schema_path(kind));
  std::stringstream text;
  text << in.rdbuf();
  json::Document schema_doc;
  schema_doc.Parse(text.str().c_str());
  BOOST_REQUIRE(!schema_doc.HasParseError());
  rapidjson::SchemaDocument schema(schema_doc);
  json::Document body;
  body.Parse(frame.body.c_str());
  BOOST_REQUIRE(!body.HasParseError());
  rapidjson::SchemaValidator validator(schema);
  return body.Accept(validator);
}

template <typename T>
T round_trip(const T& message, std::string_view kind) {
  Frame frame = encode(message);
  BOOST_TEST(matches_schema(frame, kind), kind << " body does not match its schema: " << frame.body);
  auto decoded = decode(frame.topic, frame.body);
  BOOST_REQUIRE_MESSAGE(decoded.is_ok(), decoded.status().message());
  BOOST_REQUIRE(std::holds_alternative<T>(decoded.value()));
  BOOST_TEST(kind_of(decoded.value()) == kind);
  BOOST_TEST(encode(decoded.value()).body == frame.body);  // nothing lost, nothing added
  return std::get<T>(decoded.value());
}

Work sample_work() {
  Work w;
  w.dispatch_id = "d1";
  w.world_id = "w1";
  w.run_id = "m1";
  w.attempt = 2;
  w.chat_id = "c1";
  w.activity_id = 7;
  w.heartbeat_ms = 5000;
  w.lease_ms = 15000;
  w.deadline_ms = 600000;
  w.history_window = 10;
  w.trigger = WorkTrigger{"m1", "hi \xc3\xa9", "human", "2025-01-01T00:00:00.000Z"};
  w.world = WorkWorld{"w1", "World", 5, std::string("openai"), std::nullopt};
  w.chat = WorkChat{"c1", "New Chat"};
  w.agents.push_back(WorkAgent{"a1", "A1", "default", "openai", "gpt", std::string("be brief"), 0.5, std::nullopt, 3,
                               std::nullopt, "2025-01-01T00:00:00.000Z", 4});
  w.history.emplace_back("a1", std::vector<MemoryRow>{MemoryRow{"a1", "c1", "user", "x", std::string("human"), "m0",
                                                                std::nullopt, "2025-01-01T00:00:00.000Z"}});
  return w;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bus_codec)

BOOST_AUTO_TEST_CASE(every_kind_round_trips_and_matches_its_schema) {
  BOOST_TEST(round_trip(Hello{"p1", 1, 2, 5}, "hello").slots == 5);
  BOOST_TEST(round_trip(Welcome{"p1", "g1", 5000}, "welcome").heartbeat_ms == 5000);
  auto hb = round_trip(Heartbeat{"p1", 1, 1, 4, {RunRef{"w1", "m1", 2}}}, "hb");
  BOOST_TEST((hb.runs.at(0) == RunRef{"w1", "m1", 2}));
  auto work = round_trip(sample_work(), "work");
  BOOST_TEST(work.agents.at(0).temperature.value() == 0.5);
  BOOST_TEST(work.history.at(0).second.at(0).message_id == "m0");
  BOOST_TEST(work.trigger.content == "hi \xc3\xa9");
  BOOST_TEST(round_trip(Accept{"p1", "w1", "m1", 1, "d1"}, "accept").dispatch_id == "d1");
  BOOST_TEST((round_trip(Reject{{"p1", "w1", "m1", 1, "d1"}, RejectReason::UnsupportedVersion}, "reject").reason ==
              RejectReason::UnsupportedVersion));
  BOOST_TEST(round_trip(Grant{"p1", "w1", "m1", 1, "d1"}, "grant").attempt == 1);
  BOOST_TEST(round_trip(Deny{{"p1", "w1", "m1", 1, "d1"}, "late"}, "deny").reason == "late");
  Event e{"p1",
          "w1",
          "c1",
          "m1",
          1,
          3,
          "sse",
          "{\"type\":\"chunk\",\"messageId\":\"x\",\"content\":\"Hel\"}",
          std::nullopt,
          std::nullopt};
  auto ev = round_trip(e, "event");
  BOOST_TEST(ev.payload_type.value() == "chunk");
  BOOST_TEST(ev.payload_message_id.value() == "x");
  Commit c;
  c.processor_id = "p1";
  c.world_id = "w1";
  c.run_id = "m1";
  c.attempt = 1;
  c.last_index = 9;
  c.outcome = CommitOutcome::RunTimeout;
  c.messages.push_back(
      CommitMessage{"{\"content\":\"Hi\",\"sender\":\"a1\",\"timestamp\":\"t\",\"messageId\":\"r1\",\"chatId\":\"c1\","
                    "\"role\":\"x\"}",
                    "r1", "c1", "a1", "Hi", "t", std::nullopt});
  c.memory.push_back(MemoryRow{"a1", "c1", "assistant", "Hi", std::string("a1"), "r1", std::string("m1"), "t"});
  c.agents.push_back(AgentCounters{"a1", 4, 8, std::string("t"), std::nullopt});
  auto commit = round_trip(c, "commit");
  BOOST_TEST((commit.outcome == CommitOutcome::RunTimeout));
  BOOST_TEST(commit.messages.at(0).payload_json.find("\"role\":\"x\"") != std::string::npos);  // pass-through
  BOOST_TEST((round_trip(CommitAck{"p1", "w1", "m1", 1, CommitResult::Duplicate}, "commit-ack").result ==
              CommitResult::Duplicate));
  BOOST_TEST((round_trip(Cancel{"p1", "w1", "m1", 1, CancelReason::ChatDeleted}, "cancel").reason ==
              CancelReason::ChatDeleted));
  BOOST_TEST(round_trip(Title{"d2", "w1", "c1", "openai", "gpt", {"a", "b"}, 3000}, "title").lines.size() == 2u);
  BOOST_TEST(!round_trip(TitleResult{"p1", "d2", "w1", "c1", std::nullopt, std::string("no key")}, "title-result")
                  .title.has_value());
}

BOOST_AUTO_TEST_CASE(topics_follow_the_spec) {
  BOOST_TEST(encode(Hello{"p1", 1, 1, 1}).topic == "hello.p1");
  BOOST_TEST(encode(Accept{"p1", "w1", "m1", 1, "d"}).topic == "run.w1");
  BOOST_TEST(encode(Grant{"p1", "w1", "m1", 1, "d"}).topic == "ctl.p1");
  BOOST_TEST(encode(sample_work()).topic == "work");
  BOOST_TEST(is_ctl_topic_for("ctl.p1", "p1"));
  BOOST_TEST(is_ctl_topic_for("ctl.all", "p1"));
  BOOST_TEST(!is_ctl_topic_for("ctl.p12", "p1"));
}

BOOST_AUTO_TEST_CASE(wrong_version_is_dropped_as_version) {
  auto r = decode("hello.p1", R"({"v":2,"kind":"hello","processorId":"p1","vMin":2,"vMax":2,"slots":1})");
  BOOST_REQUIRE(!r.is_ok());
  BOOST_TEST(r.status().code() == kDropVersion);
}

BOOST_AUTO_TEST_CASE(invalid_bodies_are_dropped_as_invalid) {
  const char* bad[][2] = {
      {"hello.p1", "not json"},
      {"hello.p1", "[1]"},
      {"hello.p1", R"({"kind":"hello","processorId":"p1","vMin":1,"vMax":1,"slots":1})"},
      {"hello.p1", R"({"v":1,"kind":"nope"})"},
      {"hello.p1", R"({"v":1,"kind":"hello","processorId":"p1","vMin":1,"vMax":1,"slots":-1})"},
      {"hello.p 1", R"({"v":1,"kind":"hello","processorId":"p 1","vMin":1,"vMax":1,"slots":1})"},
      {"hello.p2", R"({"v":1,"kind":"hello","processorId":"p1","vMin":1,"vMax":1,"slots":1})"},
      {"run.w1",
       R"({"v":1,"kind":"accept","processorId":"p1","worldId":"w1","runId":"m1","attempt":0,"dispatchId":"d"})"},
      {"run.w1",
       R"({"v":1,"kind":"reject","processorId":"p1","worldId":"w1","runId":"m1","attempt":1,"dispatchId":"d","reason":"tired"})"},
      {"evt.w1",
       R"({"v":1,"kind":"event","processorId":"p1","worldId":"w1","chatId":"c","runId":"m1","attempt":1,"index":0,"eventType":"sse","payload":"x"})"},
      {"evt.w1",
       R"({"v":1,"kind":"event","processorId":"p1","worldId":"w1","chatId":"c","runId":"m1","attempt":1,"index":0,"eventType":"bogus","payload":{}})"},
      {"commit.w1",
       R"({"v":1,"kind":"commit","processorId":"p1","worldId":"w1","runId":"m1","attempt":1,"lastIndex":0,"outcome":"done","messages":[],"memory":[],"agents":[]})"},
      {"commit.w1",
       R"({"v":1,"kind":"commit","processorId":"p1","worldId":"w1","runId":"m1","attempt":1,"lastIndex":0,"outcome":"completed","messages":[{"messageId":"r"}],"memory":[],"agents":[]})"},
      {"hb.p1", R"({"v":1,"kind":"hb","processorId":"p1","vMin":1,"vMax":1,"slots":1,"runs":[{"worldId":"w"}]})"},
  };
  for (const auto& [topic, body] : bad) {
    auto r = decode(topic, body);
    BOOST_TEST(!r.is_ok(), "accepted: " << body);
    if (!r.is_ok()) BOOST_TEST(r.status().code() == kDropInvalid);
  }
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_ignored) {
  auto r = decode("hello.p1", R"({"v":1,"kind":"hello","processorId":"p1","vMin":1,"vMax":1,"slots":1,"new":true})");
  BOOST_TEST(r.is_ok());
}

BOOST_AUTO_TEST_CASE(processor_ids) {
  std::string id = new_processor_id();
  BOOST_TEST(is_valid_processor_id(id));
  BOOST_TEST(make_processor_id("my host!", 42, "abc123") == "my-host--42-abc123");
  std::string long_id = make_processor_id(std::string(200, 'h'), 42, "abc123");
  BOOST_TEST(long_id.size() == kMaxProcessorIdLength);
  BOOST_TEST(is_valid_processor_id(long_id));
  BOOST_TEST(!is_valid_processor_id(""));
  BOOST_TEST(!is_valid_processor_id(std::string(101, 'a')));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::bus
