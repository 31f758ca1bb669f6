// TitleJobs (see title_jobs.h).
#include "gateway/bus/title_jobs.h"

#include "common/bus/bus_codec.h"
#include "common/ids.h"
#include "common/time_util.h"
#include "gateway/bus/title_text.h"
#include "gateway/core/crud_publisher.h"
#include "gateway/core/entity_views.h"
#include "gateway/core/event_frames.h"
#include "gateway/core/json_builder.h"

namespace aw::gateway::bus {

TitleJobs::TitleJobs(storage::Storage& storage, const BusSettings& settings, Clock& clock,
                     ProcessorRegistry& processors, const Dispatcher& dispatcher, BusOutput& output,
                     BusCounters& counters, Logger logger)
    : storage_(storage),
      settings_(settings),
      clock_(clock),
      processors_(processors),
      dispatcher_(dispatcher),
      output_(output),
      counters_(counters),
      logger_(std::move(logger)) {}

bool TitleJobs::chat_in_flight(const ChatKey& key) const {
  for (const auto& [order, job] : jobs_) {
    if (job.title.world_id == key.first && job.title.chat_id == key.second) return true;
  }
  return false;
}

std::vector<std::string> TitleJobs::senders_of(const aw::bus::Commit& commit) {
  std::vector<std::string> senders;
  for (const aw::bus::CommitMessage& m : commit.messages) senders.push_back(m.sender);
  return senders;
}

void TitleJobs::on_run_completed(const aw::bus::Commit& commit, const std::string& chat_id) {
  on_run_completed(commit.world_id, chat_id, senders_of(commit));
}

void TitleJobs::on_run_completed(const std::string& world_id, const std::string& chat_id,
                                 const std::vector<std::string>& senders) {
  if (settings_.chat_titles == "off" || chat_id.empty()) return;
  if (chat_in_flight(ChatKey{world_id, chat_id})) return;
  auto chat = storage_.chats().find(world_id, chat_id);
  if (!chat || !chat.value() || chat.value()->name != storage::kNewChatName) return;
  auto messages = storage_.conversation().list(world_id, chat_id);
  auto world = storage_.worlds().find(world_id);
  auto agents = storage_.agents().list(world_id);
  if (!messages || !world || !world.value() || !agents) {
    logger_.error("title: reading the chat failed", {{"worldId", world_id}, {"chatId", chat_id}});
    return;
  }
  if (messages.value().empty()) return;
  if (settings_.chat_titles != "llm") {
    apply(world_id, chat_id, std::nullopt);
    return;
  }
  aw::bus::Title title;
  const storage::WorldRecord& w = *world.value();
  if (w.chat_llm_provider && w.chat_llm_model && !w.chat_llm_provider->empty() && !w.chat_llm_model->empty()) {
    title.provider = *w.chat_llm_provider;
    title.model = *w.chat_llm_model;
  } else {
    // The first agent that replied in the run: the first commit message sent by an agent of the world.
    for (const std::string& sender : senders) {
      for (const storage::AgentRecord& a : agents.value()) {
        if (title.provider.empty() && a.id == sender) {
          title.provider = a.provider;
          title.model = a.model;
        }
      }
    }
  }
  if (title.provider.empty() || title.model.empty()) {
    apply(world_id, chat_id, std::nullopt);  // nobody replied: no model, no job
    return;
  }
  std::vector<std::string> agent_ids;
  for (const storage::AgentRecord& a : agents.value()) agent_ids.push_back(a.id);
  title.dispatch_id = new_message_id();
  title.world_id = world_id;
  title.chat_id = chat_id;
  title.lines = title_lines(messages.value(), agent_ids);
  title.timeout_ms = settings_.title_timeout_ms;
  jobs_.emplace(next_order_++, Job{std::move(title), clock_.now_ms(), false});
  pump();
}

void TitleJobs::pump() {
  for (auto& [order, job] : jobs_) {
    if (job.sent) continue;
    const std::int64_t outstanding = static_cast<std::int64_t>(dispatcher_.dispatched_count()) + sent_count_;
    if (processors_.free_slots() <= outstanding) return;
    if (!output_.push_work(aw::bus::encode(job.title))) return;  // EAGAIN: stays waiting
    job.sent = true;
    ++sent_count_;
    logger_.debug("title job pushed", {{"worldId", job.title.world_id}, {"dispatchId", job.title.dispatch_id}});
  }
}

void TitleJobs::finish(JobMap::iterator it, const std::optional<std::string>& raw) {
  if (it->second.sent) --sent_count_;
  const std::string world_id = it->second.title.world_id;
  const std::string chat_id = it->second.title.chat_id;
  jobs_.erase(it);
  apply(world_id, chat_id, raw);
}

void TitleJobs::on_result(const aw::bus::TitleResult& result) {
  for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
    const aw::bus::Title& t = it->second.title;
    if (t.dispatch_id != result.dispatch_id || t.world_id != result.world_id || t.chat_id != result.chat_id) continue;
    if (!result.title) {
      logger_.info("title job answered without a title",
                   {{"worldId", t.world_id}, {"chatId", t.chat_id}, {"error", result.error.value_or("")}});
    }
    finish(it, result.title);
    return;
  }
  // Already answered, expired, or never sent by this gateway: the first answer won.
  logger_.debug("title-result ignored", {{"worldId", result.world_id}, {"dispatchId", result.dispatch_id}});
}

void TitleJobs::tick() {
  const EpochMs now = clock_.now_ms();
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    auto next = std::next(it);
    if (now - it->second.created_ms >= settings_.title_timeout_ms + kTitleGraceMs) {
      logger_.info("title job expired",
                   {{"worldId", it->second.title.world_id}, {"dispatchId", it->second.title.dispatch_id}});
      finish(it, std::nullopt);
    }
    it = next;
  }
}

void TitleJobs::apply(const std::string& world_id, const std::string& chat_id, const std::optional<std::string>& raw) {
  std::string name = raw ? clean_title(*raw) : std::string();
  const EpochMs now = clock_.now_ms();
  auto tx = storage::Transaction::begin(storage_.db());
  if (!tx) return;
  auto world = storage_.worlds().find(world_id);
  auto chat = storage_.chats().find(world_id, chat_id);
  if (!world || !world.value() || !chat || !chat.value()) return;  // deleted meanwhile
  if (chat.value()->name != storage::kNewChatName) return;         // renamed meanwhile: never retitled
  if (name.empty()) {
    auto messages = storage_.conversation().list(world_id, chat_id);
    auto agents = storage_.agents().list(world_id);
    if (!messages || !agents) return;
    std::vector<std::string> agent_ids;
    for (const storage::AgentRecord& a : agents.value()) agent_ids.push_back(a.id);
    name = derived_title(messages.value(), agent_ids);
  }
  storage::ChatRecord updated = std::move(*chat.value());
  updated.name = name;
  updated.updated_at = iso8601_ms(now);
  Status s = storage_.chats().update(updated);
  CrudPublisher crud(storage_, now);
  if (s) s = crud.publish(world_id, "update", "chat", chat_id, chat_view(updated), world.value()->current_chat_id);
  std::optional<storage::EventRecord> system_event;
  if (s) {
    const std::string message_id = new_message_id();
    JsonBuilder b;
    b.begin_object().field("content", "chat-title-updated").field("timestamp", iso8601_ms(now));
    b.field("messageId", message_id).field("chatId", chat_id).end_object();
    storage::NewEvent ne;
    ne.world_id = world_id;
    ne.chat_id = chat_id;
    ne.event_type = "system";
    ne.message_id = message_id;
    ne.payload = b.take();
    ne.ts_ms = now;
    auto record = storage_.events().append(ne);
    if (record) {
      system_event = std::move(record.value());
    } else {
      s = record.status();
    }
  }
  if (s) s = tx->commit();
  if (!s) {
    logger_.error("title not applied", {{"worldId", world_id}, {"chatId", chat_id}, {"error", s.message()}});
    return;
  }
  for (PersistedFrame& frame : crud.take_frames()) {
    ++counters_.persisted_events["crud"];
    output_.broadcast_event(std::move(frame));
  }
  ++counters_.persisted_events[system_event->event_type];
  output_.broadcast_event(to_persisted_frame(*system_event, false));
  logger_.info("chat titled", {{"worldId", world_id}, {"chatId", chat_id}, {"derived", !raw.has_value()}});
}

}  // namespace aw::gateway::bus
