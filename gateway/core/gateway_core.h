// GatewayCore: the gateway's domain logic behind the WebSocket layer, free of websocketpp and Asio.
// It owns the SQLite database (gateway/storage/) and implements the commands (ws-protocol.md §8), the durable
// enqueue of `message` frames (§4.5, §7), the subscription snapshot and replay query (§4.3, §6), and the
// persistence of every crud frame it emits (§5.3, seq assigned in the insert transaction).
// The WebSocket layer (gateway/server/, gateway/session/) owns connections, subscriptions, fan-out and limits; it
// calls the core and delivers what the core returns.
//
// Thread-safety: loop thread only. Every call runs to completion synchronously (SQLite is local); no call blocks on
// the network.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/log.h"
#include "common/status.h"
#include "common/time_util.h"

namespace aw::gateway {

using Seq = std::uint64_t;
// A point in the database's write history that an answer waits to be durable (power-loss safe) before it is sent;
// 0: nothing to wait for. See GatewayCore::watch_durability.
using DurabilityTicket = std::uint64_t;

// Who is asking. With AW_AUTH=off every connection is an admin of every world ("*"). The auth issue fills the rest.
struct Principal {
  bool authenticated = false;
  std::string subject;
  std::string role = "admin";               // reader | writer | admin
  std::vector<std::string> worlds = {"*"};  // allowed world ids, "*" = all
  std::optional<EpochMs> expires_at;

  bool may_access_world(std::string_view world_id) const;
};

// Settings of the core, read from the environment by the gateway's config (gateway/server/gateway_config.h).
struct CoreOptions {
  std::string storage_type = "sqlite";              // "sqlite" | "memory" (AGENT_WORLD_STORAGE_TYPE)
  std::string database_path;                        // AGENT_WORLD_SQLITE_DATABASE (resolved)
  std::string default_agent_provider = "openai";    // AW_DEFAULT_AGENT_PROVIDER
  std::string default_agent_model = "gpt-4";        // AW_DEFAULT_AGENT_MODEL
  std::int64_t replay_max_events = 10000;           // AW_REPLAY_MAX_EVENTS
  std::int64_t queue_max_pending_per_world = 1000;  // AW_QUEUE_MAX_PENDING_PER_WORLD
  std::int64_t queue_max_retries = 3;               // AW_QUEUE_MAX_RETRIES
};

// One frame persisted in a world's event log (an `event` or a `crud`), encoded once for every receiver.
struct PersistedFrame {
  std::string world_id;                // canonical
  std::optional<std::string> chat_id;  // nullopt: crud (and chat-less events), delivered regardless of filter
  Seq seq = 0;
  std::shared_ptr<const std::string> live_json;  // the complete server frame, live shape (no "historical")
};

// The answer to one `command` frame.
// A lifecycle or queue status frame the core wants delivered (ws-protocol.md §5.1): to every connection holding a
// subscription of the world (no chat filter) and to the connection that enqueued `message_id`, once each.
struct StatusBroadcast {
  std::string world_id;
  std::optional<std::string> message_id;
  std::shared_ptr<const std::string> json;  // complete status frame
};

struct CommandResult {
  Status status;                            // ok, or the error (code + full text, e.g. "Command execution failed: ...")
  std::string message;                      // payload.message on success
  std::string data_json = "null";           // payload.data on success, as JSON text
  std::vector<PersistedFrame> broadcasts;   // crud frames this command persisted, in seq order; fan out after replying
  std::vector<std::string> deleted_worlds;  // worlds deleted by this command: drop their subscriptions (world-deleted)
  std::vector<StatusBroadcast> statuses;    // e.g. `queued` (retried) or `failed` (cancelled); send after broadcasts
};

// A validated `message` frame (ws-protocol.md §4.5), defaults applied.
struct EnqueueRequest {
  std::string world_id;                // canonical
  std::string message_id;              // 1..128 chars
  std::optional<std::string> chat_id;  // nullopt for absent/null
  std::string content;                 // default ""
  std::string sender = "human";        // default "human" ("" also means human)
  std::int64_t priority = 0;
};

struct EnqueueResult {
  Status status;           // world_not_found | limit_exceeded | message_id_conflict | internal
  bool duplicate = false;  // the same message was already known
  std::string state;       // current queue state when duplicate
  bool chat_found = true;  // false: chatId names no chat of the world (warning)
  // Success only: the `queued` ack may be sent once this ticket is durable (0: at once). Also set for a duplicate
  // whose item may not be durable yet.
  DurabilityTicket durable_at = 0;
};

// What a subscribe needs (ws-protocol.md §4.3). Replay frames are returned encoded in the historical shape.
struct SubscribeRequest {
  std::string world_id;                // canonical
  std::optional<std::string> chat_id;  // nullopt: world-wide
  std::optional<Seq> last_seq;         // nullopt: no replay requested (absent, null, or 0 without epoch)
  std::optional<std::string> epoch;
};

struct SubscribeSnapshot {
  bool world_exists = false;
  bool chat_exists = true;  // false: chat filter falls back to world-wide (warning)
  Seq latest_seq = 0;
  std::optional<std::string> epoch;  // absent for an unknown world
  bool recovered = false;
  std::vector<PersistedFrame> replay;  // ascending seq; each live_json has "historical":true
};

class GatewayCore {
 public:
  // Opens (creating and migrating) the database. Fails with a clear message: unreadable file, a database this
  // program did not create (aw_meta check, agent-runtime.md §14), a failed migration.
  static Result<std::unique_ptr<GatewayCore>> open(const CoreOptions& options, Logger logger);
  virtual ~GatewayCore() = default;

  // Runs one command (ws-protocol.md §8). `world_id` is the effective, canonical world id (top-level worldId, else
  // params.worldId), nullopt when the frame had none. Error texts name the canonical id.
  // `params` is an object. Never throws: unexpected failures come back as code "internal".
  // `whoami` is answered by the WebSocket layer, not here.
  virtual CommandResult run_command(std::string_view command, const json::Value& params,
                                    const std::optional<std::string>& world_id, const Principal& principal) = 0;

  // Durably enqueues a chat message: synchronous=FULL commit before returning, or, while durability is watched,
  // a commit whose sync happens off the loop (EnqueueResult::durable_at).
  virtual EnqueueResult enqueue(const EnqueueRequest& request) = 0;

  // The syncs made for durable acks since start (all 0 while durability is not watched), for /metrics.
  struct DurabilityStats {
    std::int64_t syncs = 0;
    std::int64_t failures = 0;
    double sync_seconds = 0;
  };
  virtual DurabilityStats durability_stats() const { return {}; }

  // Durable acks off the loop (ws-protocol.md §4.5; docs/architecture.md "Durable acks"). Once called with
  // a `post` that runs a task on the loop thread (callable from any thread), an enqueue into a WAL database commits
  // without a sync of its own and returns a ticket; a thread of the core makes the WAL durable, and `on_durable`
  // then runs on the loop with the highest ticket covered and whether that sync succeeded (false: answers waiting
  // for tickets up to `synced` must report a failure). Without it, and always for in-memory storage, enqueue
  // commits with synchronous=FULL and returns durable_at 0. Called with empty functions, it syncs what is pending,
  // stops the thread and goes back to synchronous commits; call that before `post` becomes invalid.
  // After a failed sync nothing written since can be called durable any more (the failed writes may be gone from
  // the page cache and the WAL would stop at them): every later report says ok=false, and enqueue refuses every
  // message (`internal`, `Failed to queue message`) until the gateway restarts.
  virtual void watch_durability(std::function<void(std::function<void()>)> post,
                                std::function<void(DurabilityTicket synced, bool ok)> on_durable) {
    (void)post;
    (void)on_durable;
  }
  // Shutdown, on the loop: syncs what was enqueued so far on the calling thread and reports it through on_durable at
  // once, so that the acks waiting for it leave before the connections close. Nothing when not watched.
  virtual void flush_durability() {}

  // Snapshot for a subscribe: latest seq, epoch and, when recoverable and requested, the frames to replay.
  virtual SubscribeSnapshot subscribe(const SubscribeRequest& request) = 0;

  // Persists one run event (ws-protocol.md §6; the bus event intake): takes the world's next seq and inserts the
  // frame in one transaction, then returns it in the live shape, ready for fan-out. `payload_json` is the live
  // payload (a JSON object, stored verbatim); `chat_id` nullopt = a chat-less frame (delivered regardless of chat
  // filter); `run_id`/`attempt` nullopt = left out of the frame. Fails with world_not_found (`World '<id>' not
  // found`) when the world does not exist, invalid_request when the payload is not a JSON object.
  virtual Result<PersistedFrame> append_event(const std::string& world_id, const std::optional<std::string>& chat_id,
                                              std::string_view event_type, std::string_view payload_json,
                                              const std::optional<std::string>& run_id,
                                              std::optional<std::int64_t> attempt,
                                              const std::optional<std::string>& message_id) = 0;

  // True while the database is open and migrated (for /readyz).
  virtual bool is_ready() const = 0;
  // Number of worlds in the database.
  virtual std::int64_t world_count() = 0;
  // Queue items per state ("pending", "processing", "completed", "failed", "cancelled"), for /metrics.
  virtual std::vector<std::pair<std::string, std::int64_t>> queue_counts() = 0;
  // Events persisted since start per event type ("crud", "message", ...), for /metrics.
  virtual std::vector<std::pair<std::string, std::int64_t>> persisted_event_counts() const = 0;
};

}  // namespace aw::gateway
