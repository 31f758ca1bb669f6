// The bus on the loop thread (see bus_hub.h).
#include "gateway/bus/bus_hub.h"

#include <algorithm>
#include <type_traits>

#include "gateway/bus/admin_service.h"

namespace aw::gateway::bus {

BusHub::BusHub(storage::Storage& storage, GatewayCore& core, const BusSettings& settings, BusOutput& output,
               std::string gateway_id, Logger logger)
    : core_(core),
      logger_(std::move(logger)),
      registry_(settings, clock_, std::move(gateway_id)),
      dispatcher_(storage, settings, clock_, random_, registry_, leases_, output, counters_, logger_.child("dispatch")),
      intake_(storage, settings, clock_, leases_, dispatcher_, output, counters_, logger_.child("intake")),
      canceller_(storage, settings, clock_, leases_, dispatcher_, output, logger_.child("cancel")),
      titles_(storage, settings, clock_, registry_, dispatcher_, output, logger_.child("title")) {
  dispatcher_.set_other_outstanding([this] { return titles_.outstanding(); });
  intake_.set_on_completed(
      [this](const aw::bus::Commit& commit, const std::string& chat_id) { titles_.on_run_completed(commit, chat_id); });
}

std::chrono::milliseconds BusHub::tick_period(const BusSettings& settings) {
  return std::chrono::milliseconds(std::clamp<std::int64_t>(settings.heartbeat_ms / 4, 10, 1000));
}

Status BusHub::start() {
  Status s = dispatcher_.recover();
  if (s) dispatcher_.pump();
  return s;
}

void BusHub::handle(aw::bus::BusMessage& message) {
  std::visit(
      [this](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, aw::bus::Hello>) {
          dispatcher_.on_hello(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Heartbeat>) {
          dispatcher_.on_heartbeat(m);
          canceller_.on_heartbeat(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Accept>) {
          dispatcher_.on_accept(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Reject>) {
          dispatcher_.on_reject(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Event>) {
          intake_.on_event(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Commit>) {
          intake_.on_commit(m);
        } else if constexpr (std::is_same_v<T, aw::bus::TitleResult>) {
          titles_.on_result(m);
          dispatcher_.pump();  // the answer freed a slot
        } else {
          // G->P kinds never arrive on the events socket (decode checks the topic of each kind).
          counters_.dropped_invalid += 1;
        }
      },
      message);
}

void BusHub::on_batch(InboundBatch&& batch) {
  counters_.dropped_invalid += batch.dropped_invalid;
  counters_.dropped_version += batch.dropped_version;
  for (aw::bus::BusMessage& message : batch.messages) handle(message);
  titles_.pump();  // credit may have appeared (hello, hb, accept)
}

void BusHub::tick() {
  canceller_.tick();
  titles_.tick();
  dispatcher_.tick();
  titles_.pump();
}

void BusHub::after_command(std::string_view command, const json::Value& params,
                           const std::optional<std::string>& world_id, const CommandResult& result) {
  if (!result.status) return;
  if (command == "cancel-message" && world_id) {
    if (auto message_id = json::get_string(params, "messageId")) canceller_.message_cancelled(*world_id, *message_id);
  } else if (command == "delete-chat" && world_id && result.data_json == "true") {
    if (auto chat_id = json::get_string(params, "chatId")) canceller_.chat_deleted(*world_id, *chat_id);
  } else if (command == "delete-world") {
    for (const std::string& id : result.deleted_worlds) canceller_.world_deleted(id);
  } else if (command != "retry-failed") {
    return;
  }
  dispatcher_.pump();
}

std::string BusHub::admin(const std::string& request) {
  AdminContext ctx{core_, registry_, leases_, clock_, dispatcher_.dispatched_count()};
  return handle_admin_request(request, ctx);
}

}  // namespace aw::gateway::bus
