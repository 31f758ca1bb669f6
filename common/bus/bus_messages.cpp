// Wire names of the bus enums (see bus_messages.h).
#include "common/bus/bus_messages.h"

#include <array>

namespace aw::bus {
namespace {

template <typename E, std::size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

// Indexed by the enum values, in declaration order.
constexpr std::array<std::string_view, 2> kRejectReasons = {"unsupported_version", "busy"};
constexpr std::array<std::string_view, 3> kOutcomes = {"completed", "cancelled", "run_timeout"};
constexpr std::array<std::string_view, 3> kCommitResults = {"applied", "duplicate", "stale"};
constexpr std::array<std::string_view, 4> kCancelReasons = {"cancelled", "chat_deleted", "world_deleted", "stale"};
constexpr std::array<std::string_view, 14> kKinds = {"hello",      "welcome", "hb",    "work",        "accept",
                                                     "reject",     "grant",   "deny",  "event",       "commit",
                                                     "commit-ack", "cancel",  "title", "title-result"};
static_assert(std::variant_size_v<BusMessage> == kKinds.size(), "one kind name per BusMessage alternative");

}  // namespace

std::string_view reject_reason_name(RejectReason r) { return kRejectReasons[static_cast<std::size_t>(r)]; }
std::optional<RejectReason> parse_reject_reason(std::string_view t) {
  return parse_name<RejectReason>(kRejectReasons, t);
}
std::string_view commit_outcome_name(CommitOutcome o) { return kOutcomes[static_cast<std::size_t>(o)]; }
std::optional<CommitOutcome> parse_commit_outcome(std::string_view t) {
  return parse_name<CommitOutcome>(kOutcomes, t);
}
std::string_view commit_result_name(CommitResult r) { return kCommitResults[static_cast<std::size_t>(r)]; }
std::optional<CommitResult> parse_commit_result(std::string_view t) {
  return parse_name<CommitResult>(kCommitResults, t);
}
std::string_view cancel_reason_name(CancelReason r) { return kCancelReasons[static_cast<std::size_t>(r)]; }
std::optional<CancelReason> parse_cancel_reason(std::string_view t) {
  return parse_name<CancelReason>(kCancelReasons, t);
}

std::string_view kind_of(const BusMessage& message) { return kKinds[message.index()]; }

}  // namespace aw::bus
