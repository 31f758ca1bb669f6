// RequestTable (see request_table.h).
#include "client/request_table.h"

namespace aw::client {
namespace {

// Frames that answer a request. `replay-complete` also carries the requestId but follows the `subscribed` ack,
// which already resolved it.
bool is_answer(const ServerFrame& f) {
  if (f.type == "pong") return true;
  if (f.type != "status") return false;
  return f.status == "subscribed" || f.status == "unsubscribed" || f.status == "queued" || f.status == "success" ||
         f.status == "authenticated";
}

}  // namespace

std::string RequestTable::next_id() { return "c" + std::to_string(++counter_); }

void RequestTable::add(const std::string& id, RequestCallback callback, TimePoint deadline) {
  pending_[id] = Pending{std::move(callback), deadline};
}

std::optional<RequestTable::Completion> RequestTable::match(const ServerFrame& frame) {
  if (frame.request_id.empty()) return std::nullopt;
  auto it = pending_.find(frame.request_id);
  if (it == pending_.end()) return std::nullopt;
  if (frame.is_error()) {
    std::string code = frame.code.empty() ? "error" : frame.code;
    Completion c{std::move(it->second.callback), Status::error(std::move(code), frame.error)};
    pending_.erase(it);
    return c;
  }
  if (!is_answer(frame)) return std::nullopt;
  Completion c{std::move(it->second.callback), frame};
  pending_.erase(it);
  return c;
}

std::vector<RequestTable::Completion> RequestTable::expire(TimePoint now) {
  std::vector<Completion> out;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline <= now) {
      out.emplace_back(std::move(it->second.callback),
                       Status::error("timeout", "no answer to request " + it->first + " before its deadline"));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<RequestTable::Completion> RequestTable::fail_all(const std::string& code, const std::string& message) {
  std::vector<Completion> out;
  for (auto& [id, p] : pending_) out.emplace_back(std::move(p.callback), Status::error(code, message));
  pending_.clear();
  return out;
}

std::optional<RequestTable::TimePoint> RequestTable::next_deadline() const {
  std::optional<TimePoint> best;
  for (const auto& [id, p] : pending_) {
    if (!best || p.deadline < *best) best = p.deadline;
  }
  return best;
}

}  // namespace aw::client
