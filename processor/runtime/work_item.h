// WorkItem: the snapshot one attempt runs on, parsed from the bus `work` body (bus-protocol.md §4.1) or from an
// `aw-processor --once` file (same shape). Parsing validates everything the runtime relies on, so a bad work item
// is a Status naming the field, never a crash or a half-filled run; past this point nothing reads raw JSON.
// Thread-safety: plain values; the parse functions are pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "processor/runtime/run_records.h"

namespace aw::processor {

// agent-runtime.md §2.1: absent, null or 0 mean this.
inline constexpr std::int64_t kDefaultTurnLimit = 5;

struct WorldSnapshot {
  std::string id;
  std::string name;
  std::int64_t turn_limit = kDefaultTurnLimit;
  std::optional<std::string> chat_llm_provider;
  std::optional<std::string> chat_llm_model;
};

struct ChatRef {
  std::string id;
  std::string name;
};

// An agent as the gateway had it at dispatch (creation order is the order of WorkItem::agents).
struct AgentSnapshot {
  std::string id;
  std::string name;
  std::string type;
  std::string provider;
  std::string model;
  std::optional<std::string> system_prompt;
  std::optional<double> temperature;
  std::optional<std::int64_t> max_tokens;
  std::int64_t llm_call_count = 0;
  std::optional<std::string> last_llm_call;
  std::optional<std::string> last_active;
  std::int64_t rev = 0;  // fences the commit's counter write (bus-protocol.md §7)
};

// The queued message the run answers; its messageId is the runId.
struct Trigger {
  std::string message_id;
  std::string content;
  std::string sender;
  std::string created_at;
};

struct WorkItem {
  std::string dispatch_id;  // absent in --once files
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 1;
  std::string chat_id;
  std::int64_t activity_id = 0;
  std::optional<std::int64_t> heartbeat_ms;
  std::optional<std::int64_t> lease_ms;
  std::int64_t deadline_ms = 0;      // the attempt's maximum duration, counted from the grant
  std::int64_t history_window = 10;  // AW_HISTORY_WINDOW
  Trigger trigger;
  WorldSnapshot world;
  ChatRef chat;
  std::vector<AgentSnapshot> agents;
  // Prompt history per agent id, oldest first (agent-runtime.md §6). Entries for ids that are not agents of the
  // item are dropped at parse time: nothing could read them.
  std::map<std::string, std::vector<MemoryRow>> history;
};

// Parses and validates a work body. Fails with invalid_request and a message naming the field
// ("work item: agents[1].model must be a non-empty string").
Result<WorkItem> parse_work_item(std::string_view json_text);
Result<WorkItem> work_item_from_json(const json::Value& body);

}  // namespace aw::processor
