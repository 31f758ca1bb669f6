// RunFixture: the set-up of agent-runtime.md §15 for runtime tests (world `w` with turnLimit 5, agents a1 then a2
// with system prompts, run chat `chat-1`, a human trigger), a ScriptedLlmClient keyed by each agent's model
// (`model-<id>`), a RecordingEventSink, and readers that parse what the run published.
// Thread-safety: test-thread only, except abort_from_other_thread().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "common/json.h"
#include "processor/runtime/agent_run.h"
#include "processor/runtime/work_item.h"
#include "tests/unit/processor/recording_event_sink.h"
#include "tests/unit/processor/scripted_llm_client.h"

namespace aw::processor::testing {

inline AgentSnapshot make_agent(const std::string& id, const std::string& name) {
  AgentSnapshot a;
  a.id = id;
  a.name = name;
  a.type = "default";
  a.provider = "openai-compatible";
  a.model = "model-" + id;
  a.system_prompt = "You are " + name + ".";
  a.llm_call_count = 0;
  a.rev = 1;
  return a;
}

// One published event with its payload parsed.
struct ParsedEvent {
  EventType type = EventType::Message;
  std::int64_t index = 0;
  bool chunk = false;
  std::string chat_id;
  std::shared_ptr<json::Document> payload;

  std::string str(const char* key) const { return json::get_string(*payload, key).value_or("<absent>"); }
  std::int64_t num(const char* key) const { return json::get_int(*payload, key).value_or(-999); }
  bool has(const char* key) const { return json::find(*payload, key) != nullptr; }
  std::string kind() const { return type == EventType::Sse || type == EventType::World ? str("type") : ""; }
};

class RunFixture {
 public:
  RunFixture() {
    item.world_id = "w";
    item.run_id = "trigger-1";
    item.attempt = 1;
    item.chat_id = "chat-1";
    item.activity_id = 7;
    item.deadline_ms = 60000;
    item.history_window = 10;
    item.world = {"w", "World", 5, std::nullopt, std::nullopt};
    item.chat = {"chat-1", "New Chat"};
    item.agents = {make_agent("a1", "Agent A1"), make_agent("a2", "Agent A2")};
    trigger("human", "Hello everyone!");
  }

  void trigger(const std::string& sender, const std::string& content) {
    item.trigger = {item.run_id, content, sender, "2025-11-02T12:00:00.000Z"};
  }

  AgentSnapshot& agent(const std::string& id) {
    for (auto& a : item.agents) {
      if (a.id == id) return a;
    }
    BOOST_FAIL("no agent " + id);
    return item.agents.front();
  }

  // Scripts the agent's replies: one per request, the last one repeating.
  void replies(const std::string& agent_id, const std::vector<std::string>& texts) {
    std::vector<ScriptedReply> scripted;
    for (const auto& t : texts) scripted.push_back(text_reply(t));
    llm.script("model-" + agent_id, std::move(scripted));
  }
  void scripted_replies(const std::string& agent_id, std::vector<ScriptedReply> scripted) {
    llm.script("model-" + agent_id, std::move(scripted));
  }

  std::optional<Commit> run(RunOptions options = {}) {
    run_ = std::make_unique<AgentRun>(item, llm, sink, std::move(options));
    commit = run_->execute();
    return commit;
  }

  // Aborts the current run from another thread, as the bus worker would, and waits until abort() returned.
  void abort_from_other_thread(AbortCause cause) {
    std::thread t([this, cause] { run_->abort(cause); });
    t.join();
  }

  std::vector<ParsedEvent> events() const {
    std::vector<ParsedEvent> out;
    for (const RuntimeEvent& e : sink.events()) {
      ParsedEvent p;
      p.type = e.type;
      p.index = e.index;
      p.chunk = e.is_chunk;
      p.chat_id = e.chat_id;
      auto doc = json::parse_trusted(e.payload_json);
      BOOST_REQUIRE_MESSAGE(doc.is_ok(), "payload is not JSON: " + e.payload_json);
      p.payload = std::make_shared<json::Document>(std::move(doc.value()));
      out.push_back(std::move(p));
    }
    return out;
  }

  std::vector<ParsedEvent> of_type(EventType type, const std::string& kind = "") const {
    std::vector<ParsedEvent> out;
    for (auto& e : events()) {
      if (e.type == type && (kind.empty() || e.kind() == kind)) out.push_back(e);
    }
    return out;
  }

  // One line per event, chunks left out unless asked for:
  //   message <sender>: <content>      sse <type> <agent>[: <error>]      world <type> p=<n> <source|->
  //   system <content JSON>
  std::vector<std::string> trace(bool with_chunks = false) const {
    std::vector<std::string> out;
    for (auto& e : events()) {
      if (e.chunk && !with_chunks) continue;
      switch (e.type) {
        case EventType::Message:
          out.push_back("message " + e.str("sender") + ": " + e.str("content"));
          break;
        case EventType::Sse: {
          std::string line = "sse " + e.str("type") + " " + e.str("agentName");
          if (e.kind() == "error") line += ": " + e.str("error");
          if (e.kind() == "chunk") line += ": " + e.str("content");
          out.push_back(line);
          break;
        }
        case EventType::World:
          out.push_back("world " + e.str("type") + " p=" + std::to_string(e.num("pendingOperations")) + " " +
                        (e.has("source") ? e.str("source") : std::string("-")));
          break;
        case EventType::System:
          out.push_back("system " + json::to_string((*e.payload)["content"]).value_or("?"));
          break;
      }
    }
    return out;
  }

  WorkItem item;
  ScriptedLlmClient llm;
  RecordingEventSink sink;
  std::optional<Commit> commit;

 private:
  std::unique_ptr<AgentRun> run_;
};

}  // namespace aw::processor::testing
