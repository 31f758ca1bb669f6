// BusWorker: work items, grants, attempts on their threads, commits and their re-sends, cancel, title jobs.
#include <algorithm>

#include "common/bus/bus_topics.h"
#include "processor/worker/bus_adapter.h"
#include "processor/worker/bus_worker.h"

namespace aw::processor::worker {

void BusWorker::handle_work(bus::Work work) {
  auto attempt = std::make_unique<Attempt>();
  attempt->work = std::move(work);
  attempt->accept_deadline = Clock::now() + kGrantWait;
  const bus::Work& w = attempt->work;
  bus::Accept accept{id_, w.world_id, w.run_id, w.attempt, w.dispatch_id};
  logger_.debug("work read", {{"processorId", id_},
                              {"worldId", w.world_id},
                              {"runId", w.run_id},
                              {"attempt", w.attempt},
                              {"dispatchId", w.dispatch_id}});
  Attempt& added = *attempts_.emplace_back(std::move(attempt));
  report_slots();  // the hb after a read reaches the gateway before the accept (§4)
  send(bus::encode(accept));
  // While the gateway runs its grant transaction: the conversion is off the path from grant to LLM request.
  added.item = work_item_from_bus(added.work);
}

void BusWorker::handle_grant(const bus::Grant& grant) {
  for (auto& a : attempts_) {
    if (a->phase == Attempt::Phase::AwaitingGrant && a->work.dispatch_id == grant.dispatch_id &&
        a->matches(grant.world_id, grant.run_id, grant.attempt)) {
      start_attempt(*a, Clock::now());
      return;
    }
  }
  // A grant for an item we dropped: ignored, its lease expires (§5).
  logger_.info("grant for an item not awaiting one; ignored",
               {{"processorId", id_}, {"worldId", grant.world_id}, {"dispatchId", grant.dispatch_id}});
}

void BusWorker::handle_deny(const bus::Deny& deny) {
  for (auto& a : attempts_) {
    if (a->phase == Attempt::Phase::AwaitingGrant && a->work.dispatch_id == deny.run.dispatch_id) {
      logger_.info("denied", {{"processorId", id_}, {"dispatchId", deny.run.dispatch_id}, {"reason", deny.reason}});
      remove_attempt(a.get());
      report_slots();
      return;
    }
  }
}

void BusWorker::start_attempt(Attempt& attempt, Clock::time_point granted_at) {
  const bus::Work& w = attempt.work;
  AttemptIdentity identity{id_, w.world_id, w.run_id, w.attempt};
  const Attempt* target = &attempt;
  attempt.sink = std::make_unique<PublishingEventSink>(
      identity, [this, target](const bus::Frame& f) { publish_event(target, f); });
  RunOptions options = run_options_;
  options.granted_at = granted_at;
  WorkItem item = attempt.item ? std::move(*attempt.item) : work_item_from_bus(w);
  attempt.item.reset();
  attempt.run = std::make_unique<AgentRun>(std::move(item), llm_, *attempt.sink, std::move(options));
  attempt.phase = Attempt::Phase::Running;
  Attempt* raw = &attempt;
  pool_.submit([this, raw] {
    std::optional<Commit> commit = raw->run->execute();
    std::optional<bus::Frame> frame;
    if (commit) frame = bus::encode(commit_to_bus(*commit, id_));
    // The job's last touch of the attempt: on_attempt_finished may free it as soon as this is posted.
    tasks_.post([this, raw, frame = std::move(frame)] { on_attempt_finished(raw, frame); });
  });
  // After the job is on its way (the run thread works on the other core meanwhile). The hb lists the new run at
  // once; the lease runs from the grant either way (bus-protocol.md §5.4).
  send_heartbeat();
  if (logger_.enabled(LogLevel::Info)) {
    logger_.info("attempt started", {{"processorId", id_},
                                     {"worldId", w.world_id},
                                     {"runId", w.run_id},
                                     {"attempt", w.attempt},
                                     {"deadlineMs", w.deadline_ms}});
  }
}

void BusWorker::on_attempt_finished(Attempt* attempt, std::optional<bus::Frame> commit) {
  const bus::Work& w = attempt->work;
  if (!commit || attempt->silenced) {
    logger_.info("attempt silenced; no commit",
                 {{"processorId", id_}, {"worldId", w.world_id}, {"runId", w.run_id}, {"attempt", w.attempt}});
    remove_attempt(attempt);
    report_slots();
    return;
  }
  const auto now = Clock::now();
  const std::int64_t lease_ms = w.lease_ms > 0 ? w.lease_ms : 3 * static_cast<std::int64_t>(heartbeat_.count());
  attempt->commit = std::move(commit);
  attempt->phase = Attempt::Phase::AwaitingAck;
  attempt->holds_slot = false;  // the slot is free at the first commit send (§4)
  attempt->next_resend = now + heartbeat_;
  attempt->give_up_at = now + std::chrono::milliseconds(3 * lease_ms);
  send(*attempt->commit);
  logger_.info("commit sent",
               {{"processorId", id_}, {"worldId", w.world_id}, {"runId", w.run_id}, {"attempt", w.attempt}});
  report_slots();
}

void BusWorker::publish_event(const Attempt* attempt, const bus::Frame& frame) {
  std::lock_guard<std::mutex> lock(pub_mutex_);
  if (attempt->silenced) return;
  try {
    send_locked(frame);
  } catch (const zmq::error_t& e) {
    // Not the run's failure: the bus thread's next send meets the same error and ends the loop.
    logger_.error("event send failed", {{"processorId", id_}, {"error", e.what()}});
  }
}

void BusWorker::silence_attempt(Attempt& attempt) {
  std::lock_guard<std::mutex> lock(pub_mutex_);
  attempt.silenced = true;
}

void BusWorker::handle_commit_ack(const bus::CommitAck& ack) {
  for (auto& a : attempts_) {
    if (a->phase == Attempt::Phase::AwaitingAck && a->matches(ack.world_id, ack.run_id, ack.attempt)) {
      logger_.info("commit acknowledged", {{"processorId", id_},
                                           {"worldId", ack.world_id},
                                           {"runId", ack.run_id},
                                           {"attempt", ack.attempt},
                                           {"result", std::string(bus::commit_result_name(ack.result))}});
      remove_attempt(a.get());
      return;
    }
  }
}

void BusWorker::handle_cancel(const bus::Cancel& cancel) {
  const bool silence = cancel.reason == bus::CancelReason::WorldDeleted || cancel.reason == bus::CancelReason::Stale;
  for (auto& a : attempts_) {
    if (a->phase == Attempt::Phase::AwaitingGrant || !a->matches(cancel.world_id, cancel.run_id, cancel.attempt)) {
      continue;
    }
    logger_.info("cancel", {{"processorId", id_},
                            {"worldId", cancel.world_id},
                            {"runId", cancel.run_id},
                            {"attempt", cancel.attempt},
                            {"reason", std::string(bus::cancel_reason_name(cancel.reason))}});
    if (a->phase == Attempt::Phase::AwaitingAck) {
      if (silence) remove_attempt(a.get());  // stop re-sending: nothing more for this attempt
      return;
    }
    if (silence) silence_attempt(*a);
    AbortCause cause = AbortCause::Cancelled;
    if (cancel.reason == bus::CancelReason::ChatDeleted) cause = AbortCause::ChatDeleted;
    if (cancel.reason == bus::CancelReason::WorldDeleted) cause = AbortCause::WorldDeleted;
    if (cancel.reason == bus::CancelReason::Stale) cause = AbortCause::Stale;
    a->run->abort(cause);
    return;
  }
}

void BusWorker::handle_title(const bus::Title& title) {
  auto task = std::make_unique<TitleTask>();
  task->job = title_job_from_bus(title);
  TitleTask* raw = task.get();
  titles_.push_back(std::move(task));
  report_slots();
  pool_.submit([this, raw] {
    TitleResult result = run_title_job(raw->job, llm_, raw->cancel);
    bus::Frame frame = bus::encode(title_result_to_bus(raw->job, result, id_));
    tasks_.post([this, raw, frame = std::move(frame)] { on_title_finished(raw, frame); });
  });
}

void BusWorker::on_title_finished(TitleTask* task, const bus::Frame& result) {
  send(result);
  titles_.erase(std::remove_if(titles_.begin(), titles_.end(), [task](const auto& t) { return t.get() == task; }),
                titles_.end());
  report_slots();
}

void BusWorker::expire_accepts(Clock::time_point now) {
  bool dropped = false;
  for (std::size_t i = 0; i < attempts_.size();) {
    Attempt& a = *attempts_[i];
    if (a.phase == Attempt::Phase::AwaitingGrant && now >= a.accept_deadline) {
      logger_.info("no grant within the wait; dropped",
                   {{"processorId", id_}, {"worldId", a.work.world_id}, {"dispatchId", a.work.dispatch_id}});
      remove_attempt(&a);
      dropped = true;
    } else {
      ++i;
    }
  }
  if (dropped) report_slots();
}

void BusWorker::resend_commits(Clock::time_point now) {
  for (std::size_t i = 0; i < attempts_.size();) {
    Attempt& a = *attempts_[i];
    if (a.phase != Attempt::Phase::AwaitingAck) {
      ++i;
      continue;
    }
    if (now >= a.give_up_at) {
      logger_.warn(
          "no commit-ack; giving up (the lease will expire)",
          {{"processorId", id_}, {"worldId", a.work.world_id}, {"runId", a.work.run_id}, {"attempt", a.work.attempt}});
      remove_attempt(&a);
      continue;
    }
    if (now >= a.next_resend) {
      send(*a.commit);
      a.next_resend = now + heartbeat_;
    }
    ++i;
  }
}

void BusWorker::remove_attempt(const Attempt* attempt) {
  attempts_.erase(
      std::remove_if(attempts_.begin(), attempts_.end(), [attempt](const auto& a) { return a.get() == attempt; }),
      attempts_.end());
}

void BusWorker::abandon_all() {
  for (auto& a : attempts_) {
    silence_attempt(*a);
    if (a->run) a->run->abort(AbortCause::Stale);
  }
  for (auto& t : titles_) t->cancel.cancel("processor shutting down");
  pool_.wait_idle();
  // Their "finished" tasks may still wait in the queue; they point at what we are about to free.
  tasks_.take_all();
  attempts_.clear();
  titles_.clear();
}

}  // namespace aw::processor::worker
