// BusHub: the gateway's bus state and logic on the loop thread, assembled: processor registry, leases, dispatcher,
// event/commit intake, cancel propagation, chat title jobs and the admin endpoint's answers. The wiring
// (gateway/main.cpp) feeds it what BusNode's reader posts (batches of decoded messages, ticks, admin requests) and
// what the core's commands did (BusAwareCore). It also answers /metrics and /readyz (BusStatusView).
// Each inbound batch is handled in ONE SQLite transaction (every event append, grant, commit and title of the batch
// is a savepoint inside it), and what it sends to clients and processors leaves only after the COMMIT
// (DeferredOutput): one WAL write and lock cycle per batch instead of one per event, and nothing shown that is not
// durable. In-memory effects follow the transaction's fate: lease changes are journaled and put back on a rollback
// (then reconciled with the processing rows, leases the batch did not touch keep their gap detection), the
// persisted-event and gap counters are restored, commits marked applied are forgotten, and title jobs start only
// after the COMMIT. Title results are applied after the batch, each in its own transaction. When SQLite ends the
// batch's transaction by itself (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM), the hub notices after that message,
// drops the held output, undoes the effects and runs the rest of the batch in a new transaction.
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"
#include "gateway/bus/bus_node.h"
#include "gateway/bus/bus_output.h"
#include "gateway/bus/bus_settings.h"
#include "gateway/bus/bus_status.h"
#include "gateway/bus/clock.h"
#include "gateway/bus/deferred_output.h"
#include "gateway/bus/dispatcher.h"
#include "gateway/bus/lease_table.h"
#include "gateway/bus/processor_registry.h"
#include "gateway/bus/run_canceller.h"
#include "gateway/bus/run_intake.h"
#include "gateway/bus/title_jobs.h"
#include "gateway/core/gateway_core.h"
#include "gateway/storage/storage.h"

namespace aw::gateway::bus {

class BusHub final : public BusStatusView {
 public:
  // `core` is the undecorated core (admin queries); all references outlive the hub.
  BusHub(storage::Storage& storage, GatewayCore& core, const BusSettings& settings, BusOutput& output,
         std::string gateway_id, Logger logger);
  BusHub(const BusHub&) = delete;
  BusHub& operator=(const BusHub&) = delete;

  // Gateway start: leases of processing items (Dispatcher::recover).
  Status start();

  void on_batch(InboundBatch&& batch);
  void tick();
  // A new message is durable: dispatch at once if credit allows (event-driven, no polling delay).
  void on_enqueued() { dispatcher_.pump(); }
  // After a successful command: cancel propagation and a pump for the commands that change the queue.
  void after_command(std::string_view command, const json::Value& params, const std::optional<std::string>& world_id,
                     const CommandResult& result);
  // An admin request from `caller` (mutating ops only for an AW_ADMIN_CURVE_CLIENTS key, admin_service.h).
  std::string admin(const std::string& request, const AdminCaller& caller);

  // BusStatusView
  std::int64_t processors_connected() const override { return registry_.connected_count(); }
  const BusCounters& counters() const override { return counters_; }

  // The tick period: four ticks per heartbeat, between 10 ms and 1 s.
  static std::chrono::milliseconds tick_period(const BusSettings& settings);

 private:
  void handle(aw::bus::BusMessage& message);
  // The messages of a batch that writes, in one transaction (or several, see above).
  void handle_in_transaction(std::vector<aw::bus::BusMessage>& messages);
  // Opens the batch transaction and starts holding output and journaling effects; leaves `tx` empty (each write then
  // commits on its own and nothing is held) when it cannot be opened.
  void begin_batch(std::optional<storage::Transaction>& tx);
  void commit_batch();   // after the COMMIT: output leaves, effects stay
  void abandon_batch();  // after a rollback: output dropped, effects undone
  // After a rollback: the journaled leases are put back, then reconciled with the processing rows (a lease whose
  // attempt is no longer processing goes, a processing item without one gets a fresh one, as at a gateway start).
  void rebuild_leases();
  void start_titles();  // title jobs of the commits applied by committed batches

  storage::Storage& storage_;
  GatewayCore& core_;
  BusOutput& output_;  // admin mutations' statuses and crud frames
  Logger logger_;
  SystemClock clock_;
  SystemRandom random_;
  BusCounters counters_;
  DeferredOutput deferred_;  // the components' output; declared before every component that sends through it
  ProcessorRegistry registry_;
  LeaseTable leases_;
  Dispatcher dispatcher_;
  RunIntake intake_;
  RunCanceller canceller_;
  TitleJobs titles_;
  // The open batch transaction's state (see on_batch).
  struct CompletedRun {
    std::string world_id;
    std::string chat_id;
    std::vector<std::string> senders;
  };
  bool batch_open_ = false;
  std::int64_t gaps_at_batch_ = 0;
  std::map<std::string, std::int64_t> persisted_at_batch_;
  std::vector<CompletedRun> completed_in_batch_;  // title jobs to start after the COMMIT
  std::vector<CompletedRun> completed_;           // committed, title jobs not started yet
  std::vector<aw::bus::TitleResult> title_results_;
};

}  // namespace aw::gateway::bus
