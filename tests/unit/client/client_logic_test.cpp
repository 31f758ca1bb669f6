// RequestTable, SubscriptionBook, Backoff and frame parsing, without sockets.
#include <boost/test/unit_test.hpp>

#include "client/backoff.h"
#include "client/outgoing_frame.h"
#include "client/request_table.h"
#include "client/server_frame.h"
#include "client/subscription_book.h"

namespace aw::client {
namespace {

ServerFrame frame(const std::string& text) {
  auto f = parse_server_frame(text);
  BOOST_TEST_REQUIRE(f.is_ok(), f.status().message());
  return std::move(f).value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_table)

BOOST_AUTO_TEST_CASE(answer_resolves_error_fails_and_others_do_not_match) {
  RequestTable t;
  const auto now = std::chrono::steady_clock::now();
  std::optional<Result<ServerFrame>> a;
  std::optional<Result<ServerFrame>> b;
  const std::string ida = t.next_id();
  const std::string idb = t.next_id();
  BOOST_TEST(ida != idb);
  t.add(
      ida, [&](Result<ServerFrame> r) { a = std::move(r); }, now + std::chrono::seconds(5));
  t.add(
      idb, [&](Result<ServerFrame> r) { b = std::move(r); }, now + std::chrono::seconds(5));
  // replay-complete carries the requestId but is not an answer.
  BOOST_TEST(
      !t.match(frame(R"({"type":"status","requestId":")" + ida + R"(","payload":{"status":"replay-complete"}})")));
  auto ca =
      t.match(frame(R"({"type":"status","requestId":")" + ida + R"(","payload":{"status":"success","command":"x"}})"));
  BOOST_TEST_REQUIRE(ca.has_value());
  ca->first(std::move(ca->second));
  BOOST_TEST_REQUIRE(a.has_value());
  BOOST_TEST(a->is_ok());
  auto cb = t.match(
      frame(R"({"type":"error","requestId":")" + idb + R"(","error":"World 'x' not found","code":"world_not_found"})"));
  BOOST_TEST_REQUIRE(cb.has_value());
  cb->first(std::move(cb->second));
  BOOST_TEST(b->status().code() == "world_not_found");
  BOOST_TEST(t.size() == 0u);
  // The status:error that follows a command's error frame finds nothing left to complete.
  BOOST_TEST(!t.match(frame(R"({"type":"status","requestId":")" + idb +
                            R"(","payload":{"status":"error","code":"world_not_found"}})")));
}

BOOST_AUTO_TEST_CASE(deadlines_expire_and_disconnect_fails_everything) {
  RequestTable t;
  const auto now = std::chrono::steady_clock::now();
  int timeouts = 0;
  int disconnects = 0;
  t.add(
      "a", [&](Result<ServerFrame> r) { timeouts += r.status().code() == "timeout"; }, now);
  t.add(
      "b", [&](Result<ServerFrame> r) { disconnects += r.status().code() == "disconnected"; },
      now + std::chrono::seconds(1));
  BOOST_TEST((*t.next_deadline() == now));
  for (auto& [cb, r] : t.expire(now)) cb(std::move(r));
  BOOST_TEST(timeouts == 1);
  BOOST_TEST(t.size() == 1u);
  for (auto& [cb, r] : t.fail_all("disconnected", "gone")) cb(std::move(r));
  BOOST_TEST(disconnects == 1);
  BOOST_TEST(t.size() == 0u);
  BOOST_TEST(!t.next_deadline().has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(subscription_book)

BOOST_AUTO_TEST_CASE(duplicates_are_dropped_and_last_seq_follows_the_filter) {
  SubscriptionBook book;
  book.add("w", std::nullopt);
  book.add("w", std::string("c1"));
  book.on_ack("w", std::nullopt, "E1", 10, 0);
  book.on_ack("w", std::string("c1"), "E1", 10, 0);
  BOOST_TEST(book.accept("w", std::string("c1"), 11));
  BOOST_TEST(!book.accept("w", std::string("c1"), 11));  // the same seq again (replay or a second subscription)
  BOOST_TEST(book.accept("w", std::string("c2"), 12));
  BOOST_TEST(book.accept("w", std::nullopt, 13));  // crud: no chat, passes every filter
  BOOST_TEST(book.find("w", std::nullopt)->last_seq == 13);
  BOOST_TEST(book.find("w", std::string("c1"))->last_seq == 13);
  BOOST_TEST(!book.accept("w", std::nullopt, 12));
  BOOST_TEST(book.accept("other", std::nullopt, 12));  // seqs are per world
}

BOOST_AUTO_TEST_CASE(replay_position_and_epoch_change) {
  SubscriptionBook book;
  book.add("w", std::nullopt);
  book.on_ack("w", std::nullopt, "E1", 20, 3);  // a replay follows: the position waits for replay-complete
  BOOST_TEST(book.find("w", std::nullopt)->last_seq == 0);
  BOOST_TEST(book.accept("w", std::nullopt, 18));
  book.on_replay_complete("w", std::nullopt, 20);
  BOOST_TEST(book.find("w", std::nullopt)->last_seq == 20);
  BOOST_TEST(book.find("w", std::nullopt)->epoch == "E1");
  book.on_ack("w", std::nullopt, "E2", 25, 0);  // recreated world
  BOOST_TEST(book.find("w", std::nullopt)->epoch == "E2");
  BOOST_TEST(book.find("w", std::nullopt)->last_seq == 25);
  BOOST_TEST(book.accept("w", std::nullopt, 18));  // seen set was reset
  book.remove("w", std::nullopt, true);
  BOOST_TEST(book.all().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(backoff)

BOOST_AUTO_TEST_CASE(doubles_to_the_cap_with_jitter_and_resets) {
  double r = 0.5;  // no jitter
  Backoff b(std::chrono::milliseconds(1000), std::chrono::milliseconds(30000), [&] { return r; });
  std::vector<long> got;
  for (int i = 0; i < 7; ++i) got.push_back(static_cast<long>(b.next().count()));
  BOOST_TEST(got == (std::vector<long>{1000, 2000, 4000, 8000, 16000, 30000, 30000}), boost::test_tools::per_element());
  b.reset();
  r = 0.0;  // -20 %
  BOOST_TEST(b.next().count() == 800);
  r = 0.999999;  // +20 %
  BOOST_TEST(b.next().count() >= 2399);
  BOOST_TEST(b.next(std::chrono::milliseconds(5000)).count() >= 5000);  // 4029 floor
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(frames)

BOOST_AUTO_TEST_CASE(outgoing_frames_serialise_and_server_frames_parse) {
  OutgoingFrame s = make_subscribe("w", std::string("c"));
  s.from_seq = 7;
  s.epoch = "E";
  BOOST_TEST(to_json(s, "c1") ==
             R"({"type":"subscribe","worldId":"w","chatId":"c","fromSeq":7,"epoch":"E","requestId":"c1"})");
  BOOST_TEST(to_json(make_command("", "list-worlds", "{}"), "c2") ==
             R"({"type":"command","requestId":"c2","payload":{"command":"list-worlds","params":{}}})");
  BOOST_TEST(
      to_json(make_message("w", std::nullopt, "m1", "say \"hi\"", "human"), "") ==
      R"({"type":"message","worldId":"w","messageId":"m1","payload":{"content":"say \"hi\"","sender":"human"}})");
  auto f = frame(R"({"type":"event","worldId":"w","chatId":"c","seq":5,"eventType":"sse","historical":true,)"
                 R"("requestId":12,"payload":{"type":"chunk","content":"Hel"}})");
  BOOST_TEST(f.seq.value_or(0) == 5);
  BOOST_TEST(f.historical);
  BOOST_TEST(f.request_id == "12");
  BOOST_TEST(f.payload_string("content").value_or("") == "Hel");
  BOOST_TEST(!parse_server_frame("[1,2]").is_ok());
  BOOST_TEST(!parse_server_frame("{\"no\":\"type\"}").is_ok());
  BOOST_TEST(new_client_message_id().rfind("msg-", 0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::client
