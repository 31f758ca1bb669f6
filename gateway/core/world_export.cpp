// Markdown export (agent-runtime.md §12). See world_export.h.
#include "gateway/core/world_export.h"

#include <cstdio>
#include <unordered_map>

#include "common/json.h"

namespace aw::gateway {
namespace {

constexpr std::size_t kMaxListedEvents = 100;
constexpr std::size_t kMaxEventTextCodePoints = 200;

std::string lower_trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  std::size_t e = s.find_last_not_of(" \t\r\n");
  std::string out = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

enum class SenderKind { Human, World, System, Agent };

// Sender classification of agent-runtime.md §3.1, for labels. A reply (replyToMessageId set) from a sender that
// is no longer an agent of the world is still an agent's message: the agent was deleted after it spoke.
SenderKind classify(const ExportSnapshot& snap, const ExportMessage& m) {
  std::string s = lower_trim(m.sender);
  if (s == "system") return SenderKind::System;
  if (s == "world") return SenderKind::World;
  for (const auto& a : snap.agents) {
    if (a.id == s) return SenderKind::Agent;
  }
  if (m.reply_to_message_id && s != "human") return SenderKind::Agent;
  return SenderKind::Human;
}

std::string agent_display_name(const ExportSnapshot& snap, const std::string& sender) {
  std::string s = lower_trim(sender);
  for (const auto& a : snap.agents) {
    if (a.id == s) return a.name;
  }
  return sender;
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  std::size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

// Content of a message item: tool calls summarised, else trimmed text with ``` escaped, indented by 4 spaces.
std::string message_body(const ExportMessage& m) {
  std::string text;
  if (m.tool_call_count > 0) {
    text = "[" + std::to_string(m.tool_call_count) + " tool call(s): ";
    for (std::size_t i = 0; i < m.tool_call_names.size(); ++i) {
      if (i > 0) text += ", ";
      text += m.tool_call_names[i];
    }
    text += "]";
  } else {
    text = replace_all(trim(m.content), "```", "\\`\\`\\`");
  }
  std::string out = "    ";
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += "    ";
  }
  return out;
}

// Cuts text to kMaxEventTextCodePoints code points (appending "...") and puts it on one line.
std::string one_line(const std::string& text) {
  std::string flat;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    flat.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  std::size_t count = 0;
  for (std::size_t i = 0; i < flat.size(); ++i) {
    if ((static_cast<unsigned char>(flat[i]) & 0xC0) != 0x80) {
      if (count == kMaxEventTextCodePoints) return flat.substr(0, i) + "...";
      ++count;
    }
  }
  return flat;
}

std::string string_field(const json::Value& v, const char* key) { return json::get_string(v, key).value_or(""); }

struct EventLine {
  std::string type;  // message | sse | world | tool | system
  std::string text;
};

EventLine describe_event(const ExportEvent& e) {
  auto parsed = json::parse_trusted(e.payload_json);
  json::Document empty(rapidjson::kObjectType);
  const json::Value& p = parsed.is_ok() ? parsed.value() : static_cast<const json::Value&>(empty);
  if (e.event_type == "message") {
    return {"message", "● [message] " + one_line(string_field(p, "sender") + ": " + string_field(p, "content"))};
  }
  if (e.event_type == "sse") {
    return {"sse", "● [sse] " + one_line(string_field(p, "agentName") + ": " + string_field(p, "type"))};
  }
  if (e.event_type == "system") {
    std::string content;
    if (const json::Value* c = json::find(p, "content")) {
      content = c->IsString() ? std::string(c->GetString(), c->GetStringLength()) : json::to_string(*c).value_or("");
    }
    return {"system", "● [system] " + one_line(content)};
  }
  std::string type = string_field(p, "type");
  if (type.rfind("tool-", 0) == 0) return {"tool", "● [tool] " + one_line(string_field(p, "agentName") + " " + type)};
  std::string source = string_field(p, "source");
  if (source.rfind("agent:", 0) == 0) source = source.substr(6);
  if (source.empty()) source = "world";
  std::string pending;
  if (const json::Value* po = json::find(p, "pendingOperations"); po != nullptr && po->IsNumber()) {
    pending = po->IsInt64() ? std::to_string(po->GetInt64()) : format_number(po->GetDouble());
  }
  return {"world", "● [world] " + one_line(source + ": " + type + " pending=" + pending)};
}

void append_agents(std::string& out, const ExportSnapshot& snap) {
  if (snap.agents.empty()) {
    out += "## Agents\n\nNo agents found in this world.\n\n";
    return;
  }
  out += "## Agents (" + std::to_string(snap.agents.size()) + ")\n\n";
  for (const auto& a : snap.agents) {
    out += "### " + a.name + "\n\n**Configuration:**\n";
    out += "- **ID:** " + a.id + "\n";
    out += "- **LLM Provider:** " + a.provider + "\n";
    out += "- **Model:** " + a.model + "\n";
    out += "- **Temperature:** " + (a.temperature ? format_number(*a.temperature) : std::string("default")) + "\n";
    out += "- **Max Tokens:** " + (a.max_tokens ? std::to_string(*a.max_tokens) : std::string("default")) + "\n";
    out += "- **LLM Calls:** " + std::to_string(a.llm_call_count) + "\n";
    if (a.system_prompt && !trim(*a.system_prompt).empty()) {
      out += "- **System Prompt:**\n```\n" + *a.system_prompt + "\n```\n";
    }
    out += "\n---\n\n";
  }
}

void append_messages(std::string& out, const ExportSnapshot& snap) {
  if (!snap.has_current_chat) {
    out += "## Current Chat\n\nNo current chat found in this world.\n\n";
    return;
  }
  out += "## Current Chat - " + snap.current_chat_name + "\n\n";
  if (snap.messages.empty()) {
    out += "**Messages:** No messages found for this chat\n\n---\n\n";
    return;
  }
  std::unordered_map<std::string, const ExportMessage*> by_id;
  for (const auto& m : snap.messages) by_id.emplace(m.message_id, &m);
  std::size_t humans = 0, agents = 0, others = 0;
  out += "**Messages (" + std::to_string(snap.messages.size()) + "):**\n\n";
  for (std::size_t i = 0; i < snap.messages.size(); ++i) {
    const ExportMessage& m = snap.messages[i];
    std::string label;
    switch (classify(snap, m)) {
      case SenderKind::Human:
        ++humans;
        label = lower_trim(m.sender) == "human" ? "From: HUMAN" : "From: " + m.sender;
        break;
      case SenderKind::World:
        ++others;
        label = "From: WORLD";
        break;
      case SenderKind::System:
        ++others;
        label = "From: SYSTEM";
        break;
      case SenderKind::Agent: {
        ++agents;
        label = "Agent: " + agent_display_name(snap, m.sender);
        if (m.reply_to_message_id) {
          auto parent = by_id.find(*m.reply_to_message_id);
          if (parent != by_id.end()) {
            bool human_parent = classify(snap, *parent->second) == SenderKind::Human;
            label += " (reply to " + (human_parent ? std::string("human") : parent->second->sender) + ")";
          } else {
            label += " (reply)";
          }
        }
        break;
      }
    }
    out += std::to_string(i + 1) + ". **" + label + "**:\n    ```\n" + message_body(m) + "\n    ```\n\n";
  }
  out += "*Note: " + std::to_string(snap.messages.size()) + " messages (" + std::to_string(humans) + " from humans, " +
         std::to_string(agents) + " from agents, " + std::to_string(others) + " other)*\n\n---\n\n";
}

void append_events(std::string& out, const ExportSnapshot& snap) {
  if (snap.events.empty()) {
    out += "## Chat Events\n\nNo events recorded for this chat.\n\n";
    return;
  }
  std::vector<EventLine> lines;
  lines.reserve(snap.events.size());
  std::vector<std::string> types;
  for (const auto& e : snap.events) {
    lines.push_back(describe_event(e));
    bool seen = false;
    for (const auto& t : types) seen = seen || t == lines.back().type;
    if (!seen) types.push_back(lines.back().type);
  }
  out += "## Chat Events (" + std::to_string(snap.events.size()) + ")\n\n**Event Types:** ";
  for (std::size_t i = 0; i < types.size(); ++i) out += (i > 0 ? ", " : "") + types[i];
  out += "\n\n";
  for (std::size_t i = 0; i < lines.size() && i < kMaxListedEvents; ++i) {
    out += std::to_string(i + 1) + ". `" + utc_hms(snap.events[i].timestamp_ms) + " UTC` " + lines[i].text + "\n";
  }
  if (snap.events.size() > kMaxListedEvents) {
    out += "\n*... and " + std::to_string(snap.events.size() - kMaxListedEvents) + " more events (showing first " +
           std::to_string(kMaxListedEvents) + ")*\n";
  }
  out += "\n";
}

}  // namespace

std::size_t code_point_count(const std::string& utf8) {
  std::size_t n = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string render_world_export(const ExportSnapshot& snap) {
  std::string out;
  out.reserve(4096);
  out += "# World Export: " + snap.world_name + "\n\n";
  out += "**Exported on:** " + iso8601_ms(snap.exported_at_ms) + "\n\n";
  out += "## World Configuration\n\n";
  out += "- **Name:** " + snap.world_name + "\n";
  out += "- **ID:** " + snap.world_id + "\n";
  out += "- **Description:** " + (snap.description ? *snap.description : std::string("No description")) + "\n";
  out += "- **Turn Limit:** " + std::to_string(snap.turn_limit) + "\n";
  if (snap.chat_llm_provider) out += "- **Chat LLM Provider:** " + *snap.chat_llm_provider + "\n";
  if (snap.chat_llm_model) out += "- **Chat LLM Model:** " + *snap.chat_llm_model + "\n";
  out += "- **Total Agents:** " + std::to_string(snap.agents.size()) + "\n";
  out += "- **Total Chats:** " + std::to_string(snap.chat_count) + "\n";
  out += "- **Current Chat:** " + (snap.has_current_chat ? snap.current_chat_name : std::string("None")) + "\n\n";
  append_agents(out, snap);
  append_messages(out, snap);
  append_events(out, snap);
  std::size_t size_before_metadata = code_point_count(out);
  out += "## Export Metadata\n\n";
  out += "- **Export Format Version:** 1.2\n";
  out += "- **Agent World Version:** " + snap.version + "\n";
  out += "- **Total Export Size:** " + std::to_string(size_before_metadata) + " characters\n";
  out += "- **Sections:** World Configuration, Agents (" + std::to_string(snap.agents.size()) + "), Current Chat (" +
         (snap.has_current_chat ? "1" : "0") + "), Events (" + std::to_string(snap.events.size()) + ")\n";
  return out;
}

}  // namespace aw::gateway
