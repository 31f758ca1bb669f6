// Tests of the markdown export renderer (agent-runtime.md §12).
#include "gateway/core/world_export.h"

#include <boost/test/unit_test.hpp>

namespace aw::gateway {
namespace {

struct ExportFixture {
  ExportFixture() {
    snap.world_id = "ws-test-world";
    snap.world_name = "ws-test-world";
    snap.description = "WebSocket integration test world";
    snap.turn_limit = 5;
    snap.chat_count = 1;
    snap.exported_at_ms = 1762084800000;  // 2025-11-02T12:00:00.000Z
    snap.version = "0.1.0";
    snap.has_current_chat = true;
    snap.current_chat_name = "New Chat";
    ExportAgent a1;
    a1.id = "a1";
    a1.name = "Agent A1";
    a1.provider = "ollama";
    a1.model = "llama3.2:3b";
    a1.system_prompt = "You are A1.";
    a1.temperature = 0.0;
    ExportAgent a2 = a1;
    a2.id = "a2";
    a2.name = "Agent A2";
    a2.system_prompt.reset();
    a2.temperature.reset();
    a2.max_tokens = 512;
    snap.agents = {a1, a2};
  }

  void add_conversation() {
    snap.messages.push_back({"m1", "human", "hi", std::nullopt, 0, {}});
    snap.messages.push_back({"x1", "a1", "Hello from A1", std::string("m1"), 0, {}});
    snap.messages.push_back({"x2", "a2", "line one\n\nline ```three```", std::string("m1"), 0, {}});
  }

  static bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
  }

  ExportSnapshot snap;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(world_export, ExportFixture)

BOOST_AUTO_TEST_CASE(contains_the_compat_substrings) {
  std::string doc = render_world_export(snap);
  BOOST_TEST(doc.rfind("# World Export: ws-test-world\n\n", 0) == 0u);
  for (const char* s : {"## World Configuration", "WebSocket integration test world", "Turn Limit", "## Agents",
                        "Agent A1", "Agent A2", "llama3.2:3b", "## Current Chat", "ws-test-world"}) {
    BOOST_TEST(contains(doc, s), "missing: " << s);
  }
  BOOST_TEST(contains(doc, "**Exported on:** 2025-11-02T12:00:00.000Z\n"));
}

BOOST_AUTO_TEST_CASE(agent_section_prints_settings_and_defaults) {
  std::string doc = render_world_export(snap);
  BOOST_TEST(contains(doc, "\n## Agents (2)\n\n### Agent A1\n\n**Configuration:**\n- **ID:** a1\n"));
  BOOST_TEST(contains(doc, "- **Temperature:** 0\n"));
  BOOST_TEST(contains(doc, "- **System Prompt:**\n```\nYou are A1.\n```\n\n---\n\n### Agent A2"));
  BOOST_TEST(contains(doc, "- **Temperature:** default\n- **Max Tokens:** 512\n- **LLM Calls:** 0\n\n---\n\n"));
}

BOOST_AUTO_TEST_CASE(no_agents_variant) {
  snap.agents.clear();
  std::string doc = render_world_export(snap);
  BOOST_TEST(contains(doc, "\n\n## Agents\n\nNo agents found in this world.\n\n## Current Chat - New Chat\n"));
  BOOST_TEST(contains(doc, "Agents (0)"));
}

BOOST_AUTO_TEST_CASE(messages_have_labels_and_note) {
  add_conversation();
  std::string doc = render_world_export(snap);
  BOOST_TEST(contains(doc, "**Messages (3):**\n\n1. **From: HUMAN**:\n    ```\n    hi\n    ```\n\n"));
  BOOST_TEST(contains(doc, "2. **Agent: Agent A1 (reply to human)**:"));
  BOOST_TEST(contains(doc, "3. **Agent: Agent A2 (reply to human)**:"));
  BOOST_TEST(contains(doc, "*Note: 3 messages (1 from humans, 2 from agents, 0 other)*\n\n---\n\n"));
}

BOOST_AUTO_TEST_CASE(message_content_is_indented_and_backticks_escaped) {
  add_conversation();
  std::string doc = render_world_export(snap);
  BOOST_TEST(contains(doc, "    line one\n    \n    line \\`\\`\\`three\\`\\`\\`\n    ```\n"));
}

BOOST_AUTO_TEST_CASE(other_sender_labels) {
  snap.messages.push_back({"m1", "alice", "hi", std::nullopt, 0, {}});
  snap.messages.push_back({"m2", "World", "tick", std::nullopt, 0, {}});
  snap.messages.push_back({"m3", "system", "note", std::nullopt, 0, {}});
  snap.messages.push_back({"x1", "a1", "@a2 ping", std::string("m2"), 0, {}});
  snap.messages.push_back({"x2", "a2", "pong", std::string("x1"), 0, {}});
  snap.messages.push_back({"x3", "gone-agent", "bye", std::string("missing"), 0, {}});
  snap.messages.push_back({"x4", "a1", "", std::string("m1"), 2, {"fs_read", "fs_write"}});
  std::string doc = render_world_export(snap);
  BOOST_TEST(contains(doc, "1. **From: alice**:"));
  BOOST_TEST(contains(doc, "2. **From: WORLD**:"));
  BOOST_TEST(contains(doc, "3. **From: SYSTEM**:"));
  BOOST_TEST(contains(doc, "4. **Agent: Agent A1 (reply to World)**:"));
  BOOST_TEST(contains(doc, "5. **Agent: Agent A2 (reply to a1)**:"));
  BOOST_TEST(contains(doc, "6. **Agent: gone-agent (reply)**:"));
  BOOST_TEST(contains(doc, "    [2 tool call(s): fs_read, fs_write]\n"));
  BOOST_TEST(contains(doc, "*Note: 7 messages (1 from humans, 4 from agents, 2 other)*"));
}

BOOST_AUTO_TEST_CASE(empty_chat_and_missing_chat_variants) {
  std::string doc = render_world_export(snap);
  BOOST_TEST(contains(doc, "## Current Chat - New Chat\n\n**Messages:** No messages found for this chat\n\n---\n\n"));
  BOOST_TEST(contains(doc, "## Chat Events\n\nNo events recorded for this chat.\n\n## Export Metadata"));
  snap.has_current_chat = false;
  doc = render_world_export(snap);
  BOOST_TEST(contains(doc, "- **Current Chat:** None\n"));
  BOOST_TEST(contains(doc, "## Current Chat\n\nNo current chat found in this world.\n\n"));
  BOOST_TEST(contains(doc, "Current Chat (0)"));
}

BOOST_AUTO_TEST_CASE(event_lines_and_types) {
  EpochMs t = 1762084800000;
  snap.events.push_back({"message", R"({"sender":"human","content":"hi\nthere","messageId":"m1"})", t});
  snap.events.push_back({"world", R"({"type":"response-start","pendingOperations":1,"source":"agent:a1"})", t});
  snap.events.push_back({"sse", R"({"agentName":"a1","type":"start","messageId":"x"})", t + 1000});
  snap.events.push_back({"world", R"({"type":"tool-start","agentName":"a1"})", t});
  snap.events.push_back({"system", R"({"content":{"message":"[Error] 401","type":"error"}})", t});
  snap.events.push_back({"world", R"({"type":"idle","pendingOperations":0})", t});
  std::string doc = render_world_export(snap);
  BOOST_TEST(contains(doc, "## Chat Events (6)\n\n**Event Types:** message, world, sse, tool, system\n\n"));
  BOOST_TEST(contains(doc, "1. `12:00:00 UTC` ● [message] human: hi there\n"));
  BOOST_TEST(contains(doc, "2. `12:00:00 UTC` ● [world] a1: response-start pending=1\n"));
  BOOST_TEST(contains(doc, "3. `12:00:01 UTC` ● [sse] a1: start\n"));
  BOOST_TEST(contains(doc, "4. `12:00:00 UTC` ● [tool] a1 tool-start\n"));
  BOOST_TEST(contains(doc, R"(5. `12:00:00 UTC` ● [system] {"message":"[Error] 401","type":"error"})"));
  BOOST_TEST(contains(doc, "6. `12:00:00 UTC` ● [world] world: idle pending=0\n\n## Export Metadata"));
}

BOOST_AUTO_TEST_CASE(long_event_text_is_cut_and_list_is_capped) {
  std::string long_text(250, 'x');
  for (int i = 0; i < 105; ++i) {
    snap.events.push_back({"message", R"({"sender":"human","content":")" + long_text + R"("})", 0});
  }
  std::string doc = render_world_export(snap);
  // "human: " + 193 x's = 200 code points, then "..."
  BOOST_TEST(contains(doc, "● [message] human: " + std::string(193, 'x') + "...\n"));
  BOOST_TEST(contains(doc, "\n100. `"));
  BOOST_TEST(!contains(doc, "\n101. `"));
  BOOST_TEST(contains(doc, "\n\n*... and 5 more events (showing first 100)*\n\n## Export Metadata"));
}

BOOST_AUTO_TEST_CASE(metadata_counts_code_points_before_the_section) {
  snap.world_name = "Wörld ✓";
  std::string doc = render_world_export(snap);
  std::size_t meta = doc.find("## Export Metadata");
  BOOST_REQUIRE(meta != std::string::npos);
  std::size_t expected = code_point_count(doc.substr(0, meta));
  BOOST_TEST(contains(doc, "- **Total Export Size:** " + std::to_string(expected) + " characters\n"));
  BOOST_TEST(expected < meta);  // multi-byte characters count once
  BOOST_TEST(contains(doc, "- **Export Format Version:** 1.2\n- **Agent World Version:** 0.1.0\n"));
  BOOST_TEST(contains(doc, "- **Sections:** World Configuration, Agents (2), Current Chat (1), Events (0)\n"));
}

BOOST_AUTO_TEST_CASE(code_point_count_counts_characters_not_bytes) {
  BOOST_TEST(code_point_count("") == 0u);
  BOOST_TEST(code_point_count("abc") == 3u);
  BOOST_TEST(code_point_count("助手") == 2u);
  BOOST_TEST(code_point_count("a😀b") == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
