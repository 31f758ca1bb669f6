// Typed messages of the gateway <-> processor bus, protocol v1 (bus-protocol.md §2, §4.1, §7): one struct per
// `kind`, the variant BusMessage that holds any of them, and the enums of their closed string fields.
// Past the codec (bus_codec.h) no code reads bus JSON: these structs are what both processes handle.
// Event payloads and commit message payloads pass through verbatim (ws-protocol.md §5.2), so they are kept as
// compact JSON object text next to the fields the gateway reads from them.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace aw::bus {

// The protocol major version this build speaks (`v` of every body).
inline constexpr int kProtocolVersion = 1;

// A granted attempt a processor holds, as listed in its `hb`.
struct RunRef {
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 0;
  bool operator==(const RunRef& o) const {
    return world_id == o.world_id && run_id == o.run_id && attempt == o.attempt;
  }
};

struct Hello {
  std::string processor_id;
  std::int64_t v_min = kProtocolVersion;
  std::int64_t v_max = kProtocolVersion;
  std::int64_t slots = 0;  // free slots
};

struct Welcome {
  std::string processor_id;
  std::string gateway_id;
  std::int64_t heartbeat_ms = 0;
};

struct Heartbeat {
  std::string processor_id;
  std::int64_t v_min = kProtocolVersion;
  std::int64_t v_max = kProtocolVersion;
  std::int64_t slots = 0;
  std::vector<RunRef> runs;
};

// A memory row (agent-runtime.md §2.4): in a work item's history and in a commit's `memory`.
struct MemoryRow {
  std::string agent_id;
  std::string chat_id;
  std::string role;  // user | assistant (system, tool accepted for forward compatibility)
  std::string content;
  std::optional<std::string> sender;
  std::string message_id;
  std::optional<std::string> reply_to_message_id;
  std::string created_at;
};

struct WorkTrigger {
  std::string message_id;
  std::string content;
  std::string sender;
  std::string created_at;
};

struct WorkWorld {
  std::string id;
  std::string name;
  std::int64_t turn_limit = 5;
  std::optional<std::string> chat_llm_provider;
  std::optional<std::string> chat_llm_model;
};

struct WorkChat {
  std::string id;
  std::string name;
};

struct WorkAgent {
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
  std::string last_active;
  std::int64_t rev = 0;
};

// §4.1. `history` keeps the gateway's agent order (creation order).
struct Work {
  std::string dispatch_id;
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 1;
  std::string chat_id;
  std::int64_t activity_id = 0;
  std::int64_t heartbeat_ms = 0;
  std::int64_t lease_ms = 0;
  std::int64_t deadline_ms = 0;
  std::int64_t history_window = 0;
  WorkTrigger trigger;
  WorkWorld world;
  WorkChat chat;
  std::vector<WorkAgent> agents;
  std::vector<std::pair<std::string, std::vector<MemoryRow>>> history;  // agent id -> rows, oldest first
};

enum class RejectReason { UnsupportedVersion, Busy };

// `accept` (reason unset) and `reject` share one shape.
struct Accept {
  std::string processor_id;
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 0;
  std::string dispatch_id;
};

struct Reject {
  Accept run;
  RejectReason reason = RejectReason::Busy;
};

struct Grant {
  std::string processor_id;
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 0;
  std::string dispatch_id;
};

struct Deny {
  Grant run;
  std::string reason;  // free text, for logs
};

struct Event {
  std::string processor_id;
  std::string world_id;
  std::string chat_id;
  std::string run_id;
  std::int64_t attempt = 0;
  std::int64_t index = 0;
  std::string event_type;    // message | sse | world | system
  std::string payload_json;  // compact JSON object, verbatim
  // Read from the payload for the gateway: payload.type (sse and world events) and payload.messageId.
  std::optional<std::string> payload_type;
  std::optional<std::string> payload_message_id;
};

enum class CommitOutcome { Completed, Cancelled, RunTimeout };

// One `message` event payload of the attempt (a reply or a turn-limit notice).
struct CommitMessage {
  std::string payload_json;  // verbatim payload
  std::string message_id;
  std::string chat_id;
  std::string sender;
  std::string content;
  std::string timestamp;
  std::optional<std::string> reply_to_message_id;
};

struct AgentCounters {
  std::string id;
  std::int64_t rev = 0;
  std::int64_t llm_call_count = 0;
  std::optional<std::string> last_llm_call;
  std::optional<std::string> last_active;
};

struct Commit {
  std::string processor_id;
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 0;
  std::int64_t last_index = -1;
  CommitOutcome outcome = CommitOutcome::Completed;
  std::vector<CommitMessage> messages;
  std::vector<MemoryRow> memory;
  std::vector<AgentCounters> agents;
};

enum class CommitResult { Applied, Duplicate, Stale };

struct CommitAck {
  std::string processor_id;
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 0;
  CommitResult result = CommitResult::Applied;
};

enum class CancelReason { Cancelled, ChatDeleted, WorldDeleted, Stale };

struct Cancel {
  std::string processor_id;
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 0;
  CancelReason reason = CancelReason::Cancelled;
};

struct Title {
  std::string dispatch_id;
  std::string world_id;
  std::string chat_id;
  std::string provider;
  std::string model;
  std::vector<std::string> lines;
  std::int64_t timeout_ms = 0;
};

struct TitleResult {
  std::string processor_id;
  std::string dispatch_id;
  std::string world_id;
  std::string chat_id;
  std::optional<std::string> title;  // nullopt: the JSON null (use the derived title)
  std::optional<std::string> error;
};

using BusMessage = std::variant<Hello, Welcome, Heartbeat, Work, Accept, Reject, Grant, Deny, Event, Commit, CommitAck,
                                Cancel, Title, TitleResult>;

// The wire names of the enums; the parse functions return nullopt for any other text.
std::string_view reject_reason_name(RejectReason reason);
std::optional<RejectReason> parse_reject_reason(std::string_view text);
std::string_view commit_outcome_name(CommitOutcome outcome);
std::optional<CommitOutcome> parse_commit_outcome(std::string_view text);
std::string_view commit_result_name(CommitResult result);
std::optional<CommitResult> parse_commit_result(std::string_view text);
std::string_view cancel_reason_name(CancelReason reason);
std::optional<CancelReason> parse_cancel_reason(std::string_view text);

// The `kind` of a message ("hello", "commit-ack", ...).
std::string_view kind_of(const BusMessage& message);

}  // namespace aw::bus
