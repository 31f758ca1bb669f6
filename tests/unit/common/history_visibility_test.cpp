// The shared visibility rules (agent-runtime.md §3.1, §3.3 step 1, §6 steps 2-4) that gateway and processor both use.
#include "common/history_visibility.h"

#include <boost/test/unit_test.hpp>

using aw::routing::classify_sender;
using aw::routing::HistoryRowView;
using aw::routing::row_visible_to;
using aw::routing::select_agent_history;
using aw::routing::SenderKind;
using Indexes = std::vector<std::size_t>;

namespace {
const std::vector<std::string_view> kAgents{"a1", "a2"};
}  // namespace

BOOST_AUTO_TEST_SUITE(history_visibility)

BOOST_AUTO_TEST_CASE(senders_are_classified_on_trimmed_lowercase) {
  BOOST_TEST((classify_sender(" System ", kAgents) == SenderKind::System));
  BOOST_TEST((classify_sender("WORLD", kAgents) == SenderKind::World));
  BOOST_TEST((classify_sender("A2\n", kAgents) == SenderKind::Agent));
  BOOST_TEST((classify_sender("alice", kAgents) == SenderKind::Human));
  BOOST_TEST((classify_sender("", kAgents) == SenderKind::Human));
}

BOOST_AUTO_TEST_CASE(visibility_follows_paragraph_beginning_mentions) {
  BOOST_TEST(row_visible_to("a1", "human", "mail me at x@y.com", kAgents));  // an e-mail is no mention
  BOOST_TEST(!row_visible_to("a1", "human", "@a2 hi", kAgents));
  BOOST_TEST(row_visible_to("a1", "human", "@a2 hi\n@A1 you too", kAgents));
  BOOST_TEST(!row_visible_to("a1", "a2", "no mention", kAgents));
  BOOST_TEST(row_visible_to("a1", " A1 ", "no mention", kAgents));  // own row
  BOOST_TEST(!row_visible_to("a1", "system", "anything", kAgents));
}

BOOST_AUTO_TEST_CASE(selection_dedupes_before_filtering_and_windows_last) {
  const std::vector<HistoryRowView> rows{{"m1", "human", "one"}, {"m1", "human", "dup"}, {"t", "human", "trigger"},
                                         {"e", "human", ""},     {"e", "human", "late"}, {"m2", "a2", "@a1 two"},
                                         {"m3", "a2", "hidden"}, {"m4", "world", "four"}};
  BOOST_TEST(select_agent_history(rows, "a1", "t", kAgents, 10) == (Indexes{0, 5, 7}));
  BOOST_TEST(select_agent_history(rows, "a1", "t", kAgents, 2) == (Indexes{5, 7}));
  BOOST_TEST(select_agent_history(rows, "a1", "t", kAgents, 0).empty());
  BOOST_TEST(select_agent_history(rows, "a1", "t", kAgents, -1).empty());
  BOOST_TEST(select_agent_history(rows, "a2", "t", kAgents, 10) == (Indexes{0, 5, 6, 7}));
}

BOOST_AUTO_TEST_SUITE_END()
