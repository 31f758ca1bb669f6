// TitleJobs: chat titles on the gateway (agent-runtime.md §10.2, bus-protocol.md §9).
// - on_run_completed(): after a commit applied with outcome `completed`, a run chat still named exactly "New Chat"
//   with at least one conversation message and no title job in flight gets a title: with AW_CHAT_TITLES=llm and a
//   model (the world's chatLLMProvider/chatLLMModel, else the first agent that replied in the commit) a `title` job,
//   else (`derived`, nobody replied) the derived title at once. `off`: nothing.
// - Jobs are pushed on the work socket under the credit rule of §4: free slots > outstanding pushes (the
//   dispatcher's `work` plus titles sent and not yet answered or expired). Titles are never persisted or retried
//   and ignore the per-world rule and AW_MAX_RUNNING.
// - The first `title-result` of a dispatchId decides: cleaned text, or the derived title when null or cleaned to
//   empty; later ones (unknown dispatchId) are ignored. No answer within AW_TITLE_TIMEOUT_MS + 5000 ms from the
//   job's creation (slot wait included) → derived title.
// - A title is applied only while the chat is still named "New Chat" (compare-and-set in one transaction):
//   rename, `crud` update chat, then a system event "chat-title-updated" for that chat; both broadcast and both
//   counted in BusCounters::persisted_events (agentworld_events_persisted_total: `crud`, `system`).
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/bus/bus_messages.h"
#include "common/log.h"
#include "gateway/bus/bus_output.h"
#include "gateway/bus/bus_settings.h"
#include "gateway/bus/clock.h"
#include "gateway/bus/dispatcher.h"
#include "gateway/bus/processor_registry.h"
#include "gateway/storage/storage.h"

namespace aw::gateway::bus {

// Added to AW_TITLE_TIMEOUT_MS: the time the gateway waits for a title-result (bus-protocol.md §9).
inline constexpr std::int64_t kTitleGraceMs = 5000;

class TitleJobs {
 public:
  TitleJobs(storage::Storage& storage, const BusSettings& settings, Clock& clock, ProcessorRegistry& processors,
            const Dispatcher& dispatcher, BusOutput& output, BusCounters& counters, Logger logger);
  TitleJobs(const TitleJobs&) = delete;
  TitleJobs& operator=(const TitleJobs&) = delete;

  void on_run_completed(const aw::bus::Commit& commit, const std::string& chat_id);
  // The same from what it reads of a commit: its world and the senders of its messages, in order.
  void on_run_completed(const std::string& world_id, const std::string& chat_id,
                        const std::vector<std::string>& senders);
  static std::vector<std::string> senders_of(const aw::bus::Commit& commit);
  void on_result(const aw::bus::TitleResult& result);
  // Expires jobs past their wait (derived title).
  void tick();
  // Pushes waiting jobs, oldest first, while credit allows.
  void pump();

  // Titles sent and neither answered nor expired: they hold processor slots (credit rule).
  std::int64_t outstanding() const { return sent_count_; }
  std::size_t in_flight() const { return jobs_.size(); }

 private:
  struct Job {
    aw::bus::Title title;
    EpochMs created_ms = 0;
    bool sent = false;
  };
  using ChatKey = std::pair<std::string, std::string>;  // world, chat

  bool chat_in_flight(const ChatKey& key) const;
  using JobMap = std::map<std::uint64_t, Job>;  // by creation order
  void finish(JobMap::iterator it, const std::optional<std::string>& raw);
  // Derived or cleaned title; `raw` nullopt = derived.
  void apply(const std::string& world_id, const std::string& chat_id, const std::optional<std::string>& raw);

  storage::Storage& storage_;
  const BusSettings& settings_;
  Clock& clock_;
  ProcessorRegistry& processors_;
  const Dispatcher& dispatcher_;
  BusOutput& output_;
  BusCounters& counters_;
  Logger logger_;
  JobMap jobs_;
  std::int64_t sent_count_ = 0;
  std::uint64_t next_order_ = 0;
};

}  // namespace aw::gateway::bus
