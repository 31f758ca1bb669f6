// Session: the state of one client connection (ws-protocol.md §3, §4.3, §5.2): who it is, its subscriptions and
// their delivery filter, its rate limiter and liveness, and its outbound path with the per-connection cap and the
// replay machinery.
//
// Outbound rules (§3.4, §4.3):
// - send() is for direct responses. Every frame is accepted (a frame is always accepted into an empty queue, and
//   the connection hands everything queued to the socket in one write on the next loop turn); when the queue exceeds
//   max_outbound_bytes, a check runs once that write had its chance, and if the bytes the socket did not take
//   exceed the cap, the connection is closed with 4008 (never a silent drop). A burst of responses to
//   pipelined requests therefore does not count as a slow consumer; a peer that stops reading does.
// - deliver() is for live frames (events, crud, lifecycle statuses). While a replay is running they are held, and
//   released after the last `replay-complete`, minus those a replay already carried (same filter, seq <= its last
//   replayed seq). If the held frames would push the connection over its cap, every replay of the connection is
//   stopped, the held frames are dropped, each replay ends with `replay-complete` recovered:false, and live
//   delivery continues (no 4008, so no reconnect loop).
// - Replays run one at a time, in subscribe order, paced so that the queue stays under half the cap (the other half
//   is room for direct responses); pump_replay() continues a replay once the socket has drained.
// - A `queued` ack whose enqueue is not durable yet (GatewayCore::watch_durability) waits for its sync, and every
//   frame queued after it, of any kind, waits behind it: the connection that sent a message sees nothing about it
//   (its `processing` status, its events) before its ack. What waits is not held against the cap, since the socket
//   cannot take it yet; only past kGatedBytesFactor times the cap (a sync that does not come back) is the
//   connection closed with 4008.
//
// Thread-safety: loop thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/gateway_core.h"
#include "gateway/protocol/server_frames.h"
#include "gateway/session/rate_limiter.h"
#include "gateway/session/transport.h"
#include "gateway/session/ws_counters.h"

namespace aw::gateway {

using SessionId = std::uint64_t;
using SteadyTime = std::chrono::steady_clock::time_point;

// Close codes of ws-protocol.md §3.5 that the session layer uses.
inline constexpr int kCloseShuttingDown = 4000;
inline constexpr int kCloseUnauthorized = 4001;
inline constexpr int kCloseTokenExpired = 4002;
inline constexpr int kCloseSlowConsumer = 4008;
inline constexpr int kCloseHeartbeatTimeout = 4009;
inline constexpr int kCloseInternalError = 4011;
inline constexpr int kCloseRateLimited = 4029;
// Frames waiting behind a durable ack may take this many times AW_MAX_OUTBOUND_BYTES (see the outbound rules).
inline constexpr std::size_t kGatedBytesFactor = 4;
// How long a peer may take to answer our close frame before its TCP connection is dropped (§3.3: 1 s).
inline constexpr long kCloseHandshakeTimeoutMs = 1000;

struct SubscriptionKey {
  std::string world_id;                // canonical
  std::optional<std::string> chat_id;  // nullopt: world-wide

  bool operator<(const SubscriptionKey& other) const {
    if (world_id != other.world_id) return world_id < other.world_id;
    return chat_id < other.chat_id;  // nullopt sorts first
  }
  bool operator==(const SubscriptionKey& other) const { return world_id == other.world_id && chat_id == other.chat_id; }
};

struct Subscription {
  SubscriptionKey key;
  // The chat the delivery filter uses: nullopt for a world-wide subscription and for a chat that named no chat of
  // the world when the subscribe was processed (§4.3: such a subscription receives the whole world).
  std::optional<std::string> filter_chat;
};

// True when a subscription with `filter_chat` receives a frame of `frame_chat` (§5.2 delivery filter).
inline bool filter_matches(const std::optional<std::string>& filter_chat,
                           const std::optional<std::string>& frame_chat) {
  return !filter_chat || !frame_chat || *filter_chat == *frame_chat;
}

// A frame pushed to connections outside any direct response.
struct LiveFrame {
  std::shared_ptr<const std::string> json;
  std::string world_id;                // canonical
  std::optional<std::string> chat_id;  // the frame's chat (nullopt: none, e.g. crud)
  std::optional<Seq> seq;              // persisted frames only
  bool filtered = true;  // true: event or crud (subject to the filter); false: lifecycle status (world-wide)
};

// One subscription's replay: the frames from the core's snapshot and what the closing `replay-complete` says.
struct ReplayJob {
  SubscriptionKey key;
  std::optional<std::string> filter_chat;
  std::vector<PersistedFrame> frames;  // ascending seq, historical shape
  bool recovered = false;
  protocol::ReplayComplete complete;  // world/chat/requestId/latestSeq; seq, replayed, recovered filled at the end
};

struct SessionLimits {
  std::size_t max_outbound_bytes = 4194304;  // AW_MAX_OUTBOUND_BYTES
  std::size_t max_subscriptions = 128;       // AW_MAX_SUBSCRIPTIONS
  std::int64_t rate_limit_rps = 50;          // AW_RATE_LIMIT_RPS
  std::int64_t rate_limit_burst = 100;       // AW_RATE_LIMIT_BURST
};

class Session {
 public:
  // `counters` may be null (tests); otherwise it outlives the session.
  Session(SessionId id, std::shared_ptr<Transport> transport, const SessionLimits& limits, Principal principal,
          SteadyTime now, WsCounters* counters);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  SessionId id() const { return id_; }
  const std::string& connection_id() const { return connection_id_; }
  Principal& principal() { return principal_; }
  const Principal& principal() const { return principal_; }
  RateLimiter& rate_limiter() { return rate_limiter_; }

  // Liveness (§3.3): any inbound frame, data or control, refreshes it.
  void touch(SteadyTime now) { last_inbound_ = now; }
  SteadyTime last_inbound() const { return last_inbound_; }
  SteadyTime opened_at() const { return opened_at_; }
  SteadyTime last_ping() const { return last_ping_; }
  void ping(SteadyTime now);

  // --- Subscriptions -------------------------------------------------------------------------------------------
  const std::map<SubscriptionKey, Subscription>& subscriptions() const { return subscriptions_; }
  bool has_subscription(const SubscriptionKey& key) const { return subscriptions_.count(key) > 0; }
  bool has_world(const std::string& world_id) const;
  // True when some subscription of `world_id` lets a frame of `chat_id` through.
  bool wants(const std::string& world_id, const std::optional<std::string>& chat_id) const;
  // Adds or replaces (same key) a subscription; a replay still pending for that key is dropped.
  void put_subscription(Subscription subscription);
  // Removals return how many subscriptions went; their pending replays are dropped.
  std::size_t remove_subscription(const SubscriptionKey& key);
  std::size_t remove_world(const std::string& world_id);
  std::size_t remove_all();

  // --- Output ----------------------------------------------------------------------------------------------------
  // A direct response. False when the connection is closing or can no longer send.
  bool send(const std::shared_ptr<const std::string>& frame);
  // The same for a frame of this connection only: handed to the transport without a copy.
  bool send(std::string frame);
  // A live frame: sent now, or held while a replay runs.
  void deliver(const LiveFrame& frame);
  // Bytes queued on the connection and not yet handed to the socket.
  std::size_t queued_bytes() const { return transport_->buffered_bytes() + gated_bytes_; }

  // --- Durable acks (ws-protocol.md §4.5) ------------------------------------------------------------------------
  // Sends `ack` once ticket `durable_at` (never 0: an ack that need not wait goes through send()) is durable, or the
  // `failure` frames instead when its sync failed; later frames wait behind it (see the outbound rules above).
  void send_when_durable(DurabilityTicket durable_at, std::string ack, std::vector<std::string> failure);
  struct DurableRelease {
    bool still_waiting = false;  // an ack for a later ticket still waits
    std::size_t failed_acks = 0;
  };
  // The database is durable up to `synced` (`ok` false: the sync that reached it failed): sends what waited for it.
  DurableRelease release_durable(DurabilityTicket synced, bool ok);
  bool awaits_durability() const { return !gated_.empty(); }

  // --- Replay ----------------------------------------------------------------------------------------------------
  // Queues a replay behind any running one and starts sending it.
  void start_replay(ReplayJob job);
  // Sends replay frames while the queue has room; finishes replays and releases held frames when done.
  void pump_replay();
  bool is_replaying() const { return !replays_.empty(); }
  std::size_t held_bytes_for_test() const { return held_bytes_; }
  std::size_t held_count_for_test() const { return held_.size(); }

  // --- Close -----------------------------------------------------------------------------------------------------
  void close(int code, const std::string& reason, long handshake_timeout_ms = kCloseHandshakeTimeoutMs);
  bool is_closing() const { return closing_; }
  // The code this side closed with (0 when it did not): what /metrics counts, even when the peer never answered.
  int close_code() const { return close_code_; }

 private:
  struct FinishedReplay {
    std::string world_id;
    std::optional<std::string> filter_chat;
    Seq last_replayed_seq = 0;
  };

  // A frame that arrives while an ack waits: queued behind it. Always accepted.
  void gate(std::shared_ptr<const std::string> frame);
  // After a frame was queued: schedules the outbound cap check when the queue exceeds the cap.
  void note_queued();
  bool over_outbound_cap() const;
  void check_outbound_cap();
  void finish_front_replay(bool recovered_override_false);
  void abort_replays();
  void release_held();
  void drop_replays_for(const SubscriptionKey* key, const std::string* world_id);
  bool replay_covers(const LiveFrame& frame) const;

  const SessionId id_;
  const std::string connection_id_;
  const std::shared_ptr<Transport> transport_;
  const SessionLimits limits_;
  WsCounters* const counters_;
  Principal principal_;
  RateLimiter rate_limiter_;
  SteadyTime opened_at_;
  SteadyTime last_inbound_;
  SteadyTime last_ping_;
  bool closing_ = false;
  int close_code_ = 0;

  std::map<SubscriptionKey, Subscription> subscriptions_;

  // The outbound cap check is scheduled (see send()); `alive_` lets a deferred check see that the session is gone.
  bool cap_check_scheduled_ = false;
  const std::shared_ptr<const bool> alive_ = std::make_shared<const bool>(true);

  struct ActiveReplay {
    ReplayJob job;
    std::size_t next = 0;  // index of the next frame to send
    std::optional<Seq> last_replayed;
  };
  // A vector, not a deque: an empty std::deque allocates a map and a node (about 300 bytes per idle connection);
  // replays are few (one per subscribe with a seq) and only the front one is ever removed.
  std::vector<ActiveReplay> replays_;
  std::vector<FinishedReplay> finished_;  // replays finished since the held frames were last released
  std::vector<LiveFrame> held_;
  std::size_t held_bytes_ = 0;

  // Frames waiting for a durable ack, oldest first; the front one is always an ack (ticket != 0).
  struct GatedFrame {
    DurabilityTicket ticket = 0;  // != 0: an ack, sent once this ticket is durable
    std::shared_ptr<const std::string> frame;
    std::vector<std::string> failure;  // an ack's replacement when its sync failed
  };
  std::vector<GatedFrame> gated_;
  std::size_t gated_bytes_ = 0;
};

}  // namespace aw::gateway
