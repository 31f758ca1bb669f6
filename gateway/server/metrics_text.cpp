// Prometheus text rendering (see metrics_text.h).
#include "gateway/server/metrics_text.h"

#include <cstdio>
#include <map>

#include "gateway/session/jwt_verifier.h"

namespace aw::gateway {
namespace {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, const char* name, std::int64_t value) {
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

void seconds_sample(std::string& out, const char* name, double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", seconds);
  out += name;
  out += ' ';
  out += text;
  out += '\n';
}

void labelled(std::string& out, const char* name, const char* label, const std::string& label_value,
              std::int64_t value) {
  out += name;
  out += '{';
  out += label;
  out += "=\"";
  out += escape_label(label_value);
  out += "\"} ";
  out += std::to_string(value);
  out += '\n';
}

}  // namespace

std::string render_metrics(const MetricsInputs& in) {
  static const WsCounters kEmpty;
  const WsCounters& ws = in.ws != nullptr ? *in.ws : kEmpty;
  std::string out;
  out.reserve(4096);

  family(out, "agentworld_ws_connections", "gauge", "Open WebSocket connections.");
  sample(out, "agentworld_ws_connections", ws.connections);

  family(out, "agentworld_ws_closes_total", "counter", "WebSocket connections closed, by close code.");
  for (const auto& [code, count] : ws.closes_by_code) {
    labelled(out, "agentworld_ws_closes_total", "code", std::to_string(code), count);
  }

  family(out, "agentworld_events_persisted_total", "counter", "Events persisted to the event log, by event type.");
  for (const auto& [type, count] : in.events_persisted) {
    labelled(out, "agentworld_events_persisted_total", "event_type", type, count);
  }

  family(out, "agentworld_queue_items", "gauge", "Queue items, by state.");
  std::map<std::string, std::int64_t> states = {
      {"pending", 0}, {"processing", 0}, {"completed", 0}, {"failed", 0}, {"cancelled", 0}};
  for (const auto& [state, count] : in.queue_items) states[state] = count;
  for (const auto& [state, count] : states) labelled(out, "agentworld_queue_items", "state", state, count);

  // No run has a duration before the dispatcher exists: the family is declared without samples.
  family(out, "agentworld_run_duration_seconds", "histogram", "Duration of finished run attempts, by outcome.");

  family(out, "agentworld_processors_connected", "gauge", "Connected, version-compatible processors.");
  sample(out, "agentworld_processors_connected", in.processors_connected);

  family(out, "agentworld_bus_dropped_total", "counter", "Bus messages dropped, by reason.");
  static const bus::BusCounters kNoBus;
  const bus::BusCounters& bus_counters = in.bus != nullptr ? *in.bus : kNoBus;
  labelled(out, "agentworld_bus_dropped_total", "reason", "duplicate", bus_counters.dropped_duplicate);
  labelled(out, "agentworld_bus_dropped_total", "reason", "invalid", bus_counters.dropped_invalid);
  labelled(out, "agentworld_bus_dropped_total", "reason", "late", bus_counters.dropped_late);
  labelled(out, "agentworld_bus_dropped_total", "reason", "stale", bus_counters.dropped_stale);
  labelled(out, "agentworld_bus_dropped_total", "reason", "version", bus_counters.dropped_version);

  family(out, "agentworld_bus_gaps_total", "counter", "Gaps detected in a run's event indexes.");
  sample(out, "agentworld_bus_gaps_total", in.bus != nullptr ? in.bus->gaps : in.bus_gaps);
  family(out, "agentworld_bus_auth_failures_total", "counter",
         "CURVE handshakes refused on the bus (by the ZAP handler, or by libzmq before it).");
  sample(out, "agentworld_bus_auth_failures_total", bus_counters.auth_failures);

  // Optional metrics (§1).
  family(out, "agentworld_ws_subscriptions", "gauge", "Subscriptions over all connections.");
  sample(out, "agentworld_ws_subscriptions", ws.subscriptions);
  family(out, "agentworld_ws_frames_in_total", "counter", "Client frames received, by type.");
  for (const auto& [type, count] : ws.frames_in_by_type) {
    labelled(out, "agentworld_ws_frames_in_total", "type", type, count);
  }
  family(out, "agentworld_ws_errors_total", "counter", "Error frames sent, by code.");
  for (const auto& [code, count] : ws.errors_by_code) labelled(out, "agentworld_ws_errors_total", "code", code, count);
  family(out, "agentworld_replay_events_total", "counter", "Frames sent by replays.");
  sample(out, "agentworld_replay_events_total", ws.replay_events);
  family(out, "agentworld_replay_unrecovered_total", "counter", "Replays that ended with recovered:false.");
  sample(out, "agentworld_replay_unrecovered_total", ws.replay_unrecovered);

  // Limits and auth (ws-protocol.md §3): every label is exported from the start, so alerts can be written on 0.
  family(out, "agentworld_limit_hits_total", "counter",
         "Requests refused or connections closed by a limit (docs/security.md), by limit.");
  std::map<std::string, std::int64_t, std::less<>> limits;
  for (std::string_view name : {kLimitOrigin, kLimitConnections, kLimitRate, kLimitRateClose, kLimitFrameSize,
                                kLimitOutbound, kLimitResponseSize, kLimitSubscriptions, kLimitPendingPerWorld}) {
    limits[std::string(name)] = 0;
  }
  for (const auto& [name, count] : ws.limit_hits) limits[name] = count;
  for (const auto& [name, count] : limits) labelled(out, "agentworld_limit_hits_total", "limit", name, count);
  family(out, "agentworld_auth_failures_total", "counter", "Failed or missing authentications, by reason.");
  std::map<std::string, std::int64_t, std::less<>> reasons;
  for (std::string_view name :
       {kAuthMissing, kAuthTimeout, kTokenMalformed, kTokenAlgorithm, kTokenBadSignature, kTokenExpired,
        kTokenNotYetValid, kTokenWrongIssuer, kTokenWrongAudience, kTokenBadClaims}) {
    reasons[std::string(name)] = 0;
  }
  for (const auto& [name, count] : ws.auth_failures) reasons[name] = count;
  for (const auto& [name, count] : reasons) labelled(out, "agentworld_auth_failures_total", "reason", name, count);

  // The disk behind durable acks (docs/architecture.md "Durable acks").
  family(out, "agentworld_wal_syncs_total", "counter", "fdatasync calls of the write-ahead log behind queued acks.");
  sample(out, "agentworld_wal_syncs_total", in.wal_syncs);
  family(out, "agentworld_wal_sync_failures_total", "counter",
         "Failed syncs of the write-ahead log; the acks they covered answered Failed to queue message.");
  sample(out, "agentworld_wal_sync_failures_total", in.wal_sync_failures);
  family(out, "agentworld_wal_sync_seconds_total", "counter", "Time spent in those syncs.");
  seconds_sample(out, "agentworld_wal_sync_seconds_total", in.wal_sync_seconds);

  family(out, "agentworld_uptime_seconds", "gauge", "Seconds since the gateway started.");
  seconds_sample(out, "agentworld_uptime_seconds", in.uptime_seconds);
  return out;
}

}  // namespace aw::gateway
