// DeferredOutput: while a batch transaction is open, ctl frames, statuses and events wait and then leave in call
// order (release) or not at all (discard, or a transaction SQLite ended by itself); work pushes never wait.
#include "gateway/bus/deferred_output.h"

#include <memory>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace aw::gateway::bus::test {
namespace {

// Records every call as "<kind>:<name>" in one sequence, so the order across kinds is visible.
class SequenceOutput final : public BusOutput {
 public:
  bool push_work(aw::bus::Frame&& frame) override {
    calls.push_back("work:" + frame.topic);
    return true;
  }
  void publish_ctl(aw::bus::Frame&& frame) override { calls.push_back("ctl:" + frame.topic); }
  void broadcast_status(StatusBroadcast&& status) override { calls.push_back("status:" + *status.json); }
  void broadcast_event(PersistedFrame&& frame) override { calls.push_back("event:" + *frame.live_json); }
  std::vector<std::string> calls;
};

StatusBroadcast status(const std::string& text) {
  return StatusBroadcast{"w1", std::nullopt, std::make_shared<const std::string>(text)};
}
PersistedFrame event(const std::string& text, Seq seq) {
  return PersistedFrame{"w1", std::nullopt, seq, std::make_shared<const std::string>(text)};
}

using Calls = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(bus_deferred_output)

BOOST_AUTO_TEST_CASE(passes_through_when_not_holding) {
  SequenceOutput inner;
  DeferredOutput out(inner);
  out.publish_ctl(aw::bus::Frame{"ctl.p1", "{}"});
  out.broadcast_event(event("e1", 1));
  out.broadcast_status(status("s1"));
  BOOST_TEST(inner.calls == (Calls{"ctl:ctl.p1", "event:e1", "status:s1"}));
  BOOST_TEST(!out.holding());
}

BOOST_AUTO_TEST_CASE(release_sends_what_was_held_in_call_order) {
  SequenceOutput inner;
  DeferredOutput out(inner);
  out.hold();
  out.broadcast_status(status("processing"));
  out.broadcast_event(event("trigger", 1));
  out.publish_ctl(aw::bus::Frame{"ctl.p1", "grant"});
  BOOST_TEST(out.push_work(aw::bus::Frame{"work", "{}"}));  // never held
  out.broadcast_event(event("chunk", 0));
  BOOST_TEST(inner.calls == (Calls{"work:work"}));
  out.release();
  BOOST_TEST(inner.calls == (Calls{"work:work", "status:processing", "event:trigger", "ctl:ctl.p1", "event:chunk"}));
  BOOST_TEST(!out.holding());
  out.broadcast_status(status("after"));  // no longer held
  BOOST_TEST(inner.calls.back() == "status:after");
}

BOOST_AUTO_TEST_CASE(discard_drops_what_was_held) {
  SequenceOutput inner;
  DeferredOutput out(inner);
  out.hold();
  out.publish_ctl(aw::bus::Frame{"ctl.p1", "commit-ack"});
  out.broadcast_status(status("completed"));
  out.discard();
  out.release();  // nothing left to send
  BOOST_TEST(inner.calls.empty());
}

BOOST_AUTO_TEST_CASE(a_transaction_gone_underneath_drops_the_held_and_passes_what_follows) {
  SequenceOutput inner;
  DeferredOutput out(inner);
  bool open = true;
  out.hold([&open] { return open; });
  out.broadcast_event(event("rolled-back", 1));
  out.publish_ctl(aw::bus::Frame{"ctl.p1", "commit-ack"});
  BOOST_TEST(inner.calls.empty());
  open = false;                              // SQLite rolled the transaction back by itself
  out.broadcast_status(status("retrying"));  // from a write that committed on its own afterwards
  BOOST_TEST(inner.calls == (Calls{"status:retrying"}));
  BOOST_TEST(!out.holding());
  out.release();  // the held items are gone for good
  BOOST_TEST(inner.calls == (Calls{"status:retrying"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
