// InboundQueue: the reader posts a drain only when none is pending; what arrives before the drain runs joins its
// batch, and what arrives while the batch is handled joins the next one (finish() asks for it), in order; a take
// is bounded by max_take; the drop counters travel with the next batch taken.
#include "gateway/bus/inbound_queue.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace aw::gateway::bus::test {
namespace {

InboundBatch hbs(const std::vector<std::string>& ids) {
  InboundBatch b;
  for (const std::string& id : ids) {
    aw::bus::Heartbeat hb;
    hb.processor_id = id;
    b.messages.emplace_back(std::move(hb));
  }
  return b;
}

std::vector<std::string> ids(const InboundBatch& b) {
  std::vector<std::string> out;
  for (const aw::bus::BusMessage& m : b.messages) out.push_back(std::get<aw::bus::Heartbeat>(m).processor_id);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(inbound_queue)

BOOST_AUTO_TEST_CASE(one_drain_while_pending_and_batches_merge_in_order) {
  InboundQueue q(512);
  BOOST_TEST(q.add(hbs({"a", "b"})));  // nothing pending: the caller posts a drain
  BOOST_TEST(!q.add(hbs({"c"})));      // the drain has not run yet: no second post
  InboundBatch dropped;
  dropped.dropped_invalid = 2;
  dropped.dropped_version = 1;
  BOOST_TEST(!q.add(std::move(dropped)));
  InboundBatch taken = q.take();
  BOOST_TEST(ids(taken) == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());
  BOOST_TEST(taken.dropped_invalid == 2);
  BOOST_TEST(taken.dropped_version == 1);
  BOOST_TEST(!q.add(hbs({"d"})));  // arrives while the batch is handled: joins the next one, no post
  BOOST_TEST(q.finish());          // so the loop posts the next drain itself
  taken = q.take();
  BOOST_TEST(ids(taken) == (std::vector<std::string>{"d"}), boost::test_tools::per_element());
  BOOST_TEST(taken.dropped_invalid == 0);  // counters travel once
  BOOST_TEST(!q.finish());                 // empty: nothing pending any more
  BOOST_TEST(q.add(hbs({"e"})));           // so the next add asks for a drain again
}

// A drop counted while the batch is handled, with no message behind it (the last frames a processor sends being
// malformed), must still reach the counters: finish() asks for a drain for it.
BOOST_AUTO_TEST_CASE(counters_added_during_a_batch_get_a_drain_of_their_own) {
  InboundQueue q(512);
  BOOST_TEST(q.add(hbs({"a"})));
  BOOST_TEST(ids(q.take()) == (std::vector<std::string>{"a"}), boost::test_tools::per_element());
  InboundBatch dropped;
  dropped.dropped_version = 1;
  BOOST_TEST(!q.add(std::move(dropped)));  // a drain is still pending: no post
  BOOST_TEST(q.finish());                  // so the loop posts one for the counter
  const InboundBatch taken = q.take();
  BOOST_TEST(taken.messages.empty());
  BOOST_TEST(taken.dropped_version == 1);
  BOOST_TEST(!q.finish());
}

BOOST_AUTO_TEST_CASE(take_is_bounded_and_finish_asks_for_the_rest) {
  InboundQueue q(2);
  BOOST_TEST(q.add(hbs({"a", "b", "c", "d", "e"})));
  BOOST_TEST(ids(q.take()) == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
  BOOST_TEST(q.finish());
  BOOST_TEST(!q.add(hbs({"f"})));  // still pending
  BOOST_TEST(ids(q.take()) == (std::vector<std::string>{"c", "d"}), boost::test_tools::per_element());
  BOOST_TEST(q.finish());
  BOOST_TEST(ids(q.take()) == (std::vector<std::string>{"e", "f"}), boost::test_tools::per_element());
  BOOST_TEST(!q.finish());
  BOOST_TEST(q.add(hbs({"g"})));
}

BOOST_AUTO_TEST_CASE(concurrent_adds_lose_nothing_and_keep_order) {
  // The reader thread against the loop: every message is taken exactly once and in order, and a drain is asked for
  // (add() true) only when none is pending.
  InboundQueue q(7);
  constexpr int kMessages = 5000;
  std::atomic<int> posts{0};
  std::thread reader([&] {
    for (int i = 0; i < kMessages; ++i) {
      if (q.add(hbs({std::to_string(i)}))) posts.fetch_add(1);
    }
  });
  std::vector<std::string> seen;
  int drains_started = 0;
  while (static_cast<int>(seen.size()) < kMessages) {
    if (posts.load() == drains_started) {
      std::this_thread::yield();
      continue;
    }
    ++drains_started;  // one posted drain, and the ones it re-posts through finish()
    do {
      for (std::string& id : ids(q.take())) seen.push_back(std::move(id));
    } while (q.finish());
  }
  reader.join();
  BOOST_TEST(posts.load() == drains_started);
  BOOST_REQUIRE(seen.size() == static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) BOOST_TEST_REQUIRE(seen[static_cast<std::size_t>(i)] == std::to_string(i));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
