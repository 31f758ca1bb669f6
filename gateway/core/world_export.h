// Markdown export of a world (agent-runtime.md §12): a pure function over a snapshot, so the format is testable
// without a database. The command layer reads the snapshot from storage and calls render_world_export().
// Thread-safety: pure; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time_util.h"

namespace aw::gateway {

struct ExportAgent {
  std::string id;
  std::string name;
  std::string provider;
  std::string model;
  std::optional<std::string> system_prompt;
  std::optional<double> temperature;
  std::optional<std::int64_t> max_tokens;
  std::int64_t llm_call_count = 0;
};

// One conversation message of the current chat (agent-runtime.md §2.5), in conversation order.
struct ExportMessage {
  std::string message_id;
  std::string sender;
  std::string content;
  std::optional<std::string> reply_to_message_id;
  std::int64_t tool_call_count = 0;          // > 0 when the payload has tool_calls
  std::vector<std::string> tool_call_names;  // names of those calls, in order
};

// One non-superseded event of the current chat, ascending seq. `payload_json` is the stored payload.
struct ExportEvent {
  std::string event_type;  // message | sse | world | system
  std::string payload_json;
  EpochMs timestamp_ms = 0;
};

struct ExportSnapshot {
  std::string world_id;
  std::string world_name;
  std::optional<std::string> description;
  std::int64_t turn_limit = 5;
  std::optional<std::string> chat_llm_provider;
  std::optional<std::string> chat_llm_model;
  std::int64_t chat_count = 0;
  std::vector<ExportAgent> agents;  // creation order
  bool has_current_chat = false;
  std::string current_chat_name;
  std::vector<ExportMessage> messages;  // the current chat's conversation
  std::vector<ExportEvent> events;      // the current chat's non-superseded events
  EpochMs exported_at_ms = 0;
  std::string version;  // "Agent World Version" (AW_VERSION)
};

// Renders the document. Deterministic for a given snapshot.
std::string render_world_export(const ExportSnapshot& snapshot);

// Length in Unicode code points (the unit of "World exported (<n> characters)" and "Total Export Size").
std::size_t code_point_count(const std::string& utf8);

}  // namespace aw::gateway
