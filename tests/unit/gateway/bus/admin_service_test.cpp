// The admin endpoint's mutating ops (bus-protocol.md §10): purge-failed deletes dead-letter rows only; retry-failed
// and cancel-message run over all worlds unless a worldId is given; none runs without an admin key.
#include <boost/test/unit_test.hpp>

#include "gateway/bus/admin_service.h"
#include "tests/unit/gateway/bus/bus_fixture.h"

namespace aw::gateway::bus::test {
namespace {

struct AdminFixture : BusFixture {
  AdminFixture() {
    create_world("w1");
    create_world("w2");
  }

  void make_failed(const std::string& world, const std::string& message) {
    enqueue(world, message);
    storage::QueueItemRecord q = item(world, message);
    q.state = "failed";
    q.error = "Processing timeout - message was stuck";
    q.error_code = "processor_lost";
    BOOST_REQUIRE(storage().queue().update(q).is_ok());
  }
  bool exists(const std::string& world, const std::string& message) {
    auto found = storage().queue().find(world, message);
    BOOST_REQUIRE(found.is_ok());
    return found.value().has_value();
  }

  // Sends one request as an admin (or a read-only) caller and returns the parsed reply.
  json::Document request(const std::string& op, const std::string& params_json, bool as_admin = true) {
    AdminContext ctx{*core, *registry, *leases, clock};
    ctx.may_mutate = as_admin;
    ctx.caller_key = "test-key";
    ctx.storage = &storage();
    ctx.mutate = [this](std::string_view command, const json::Value& params, const std::optional<std::string>& world,
                        const Principal& principal) { return core->run_command(command, params, world, principal); };
    const std::string text =
        handle_admin_request(R"({"v":1,"kind":"admin","op":")" + op + R"(","params":)" + params_json + "}", ctx);
    return parse(text);
  }
  static bool ok_of(const json::Document& reply) { return json::get_bool(reply, "ok").value_or(false); }
  static std::string error_of(const json::Document& reply) { return str(reply, "error"); }
  // [{worldId, messageId}] of reply.data.<key> as "w/m" strings.
  static std::vector<std::string> pairs(const json::Document& reply, const char* key) {
    std::vector<std::string> out;
    const json::Value* data = json::find(reply, "data");
    const json::Value* list = data != nullptr ? json::find(*data, key) : nullptr;
    if (list == nullptr || !list->IsArray()) return out;
    for (const auto& row : list->GetArray()) out.push_back(str(row, "worldId") + "/" + str(row, "messageId"));
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bus_admin_ops, AdminFixture)

BOOST_AUTO_TEST_CASE(purge_failed_deletes_dead_letter_rows_only) {
  make_failed("w1", "f1");
  make_failed("w1", "f1b");
  make_failed("w2", "f2");
  enqueue("w1", "live");  // pending: never purged

  auto refused = request("purge-failed", "{}", false);
  BOOST_TEST(!ok_of(refused));
  BOOST_TEST(error_of(refused) == "read-only");
  BOOST_TEST(exists("w1", "f1"));

  auto one = request("purge-failed", R"({"worldId":"w1","messageId":"f1"})");
  BOOST_TEST(ok_of(one), error_of(one));
  BOOST_TEST(pairs(one, "purged") == std::vector<std::string>{"w1/f1"});
  BOOST_TEST(!exists("w1", "f1"));
  BOOST_TEST(exists("w1", "f1b"));

  auto world = request("purge-failed", R"({"worldId":"w1"})");
  BOOST_TEST(pairs(world, "purged") == std::vector<std::string>{"w1/f1b"});
  BOOST_TEST(exists("w2", "f2"));
  BOOST_TEST(exists("w1", "live"));

  auto not_failed = request("purge-failed", R"({"messageId":"live"})");
  BOOST_TEST(!ok_of(not_failed));
  BOOST_TEST(error_of(not_failed) == "Message 'live' is not in failed state");
  auto unknown = request("purge-failed", R"({"worldId":"w2","messageId":"nope"})");
  BOOST_TEST(error_of(unknown) == "Message 'nope' not found");

  auto all = request("purge-failed", "{}");  // every world
  BOOST_TEST(pairs(all, "purged") == std::vector<std::string>{"w2/f2"});
  BOOST_TEST(!exists("w2", "f2"));
  BOOST_TEST(item_state("w1", "live") == "pending");
  auto list = request("list-failed", "{}");
  BOOST_TEST(json::to_string(list["data"]).value_or("") == "[]");
}

BOOST_AUTO_TEST_CASE(retry_failed_without_a_world_runs_over_all_worlds) {
  make_failed("w1", "f1");
  make_failed("w2", "f2");
  auto retried = request("retry-failed", "{}");
  BOOST_TEST(ok_of(retried), error_of(retried));
  BOOST_TEST((pairs(retried, "requeued") == std::vector<std::string>{"w1/f1", "w2/f2"}));
  BOOST_TEST(item_state("w1", "f1") == "pending");
  BOOST_TEST(item_state("w2", "f2") == "pending");
  auto again = request("retry-failed", R"({"messageId":"f2"})");
  BOOST_TEST(error_of(again) == "Message 'f2' is not in failed state");

  make_failed("w2", "f3");
  auto one = request("retry-failed", R"({"messageId":"f3"})");
  BOOST_TEST(pairs(one, "requeued") == std::vector<std::string>{"w2/f3"});
  // With a worldId the answer is the WebSocket command's own.
  make_failed("w1", "f4");
  auto scoped = request("retry-failed", R"({"worldId":"w1"})");
  BOOST_TEST(json::to_string(scoped["data"]).value_or("") == R"({"requeued":["f4"]})");
}

BOOST_AUTO_TEST_CASE(cancel_message_by_message_id_alone_across_worlds) {
  enqueue("w1", "same");
  enqueue("w2", "same");
  auto cancelled = request("cancel-message", R"({"messageId":"same"})");
  BOOST_TEST(ok_of(cancelled), error_of(cancelled));
  BOOST_TEST(json::get_bool(cancelled["data"], "cancelled").value_or(false));
  BOOST_TEST(json::to_string(cancelled["data"]["worlds"]).value_or("") ==
             R"([{"worldId":"w1","cancelled":true,"state":"cancelled"},)"
             R"({"worldId":"w2","cancelled":true,"state":"cancelled"}])");
  BOOST_TEST(item_state("w1", "same") == "cancelled");
  BOOST_TEST(item_state("w2", "same") == "cancelled");

  BOOST_TEST(error_of(request("cancel-message", R"({"messageId":"nope"})")) == "Message 'nope' not found");
  BOOST_TEST(error_of(request("cancel-message", "{}")) == "params.messageId is required for cancel-message");
  enqueue("w1", "mine");
  auto scoped = request("cancel-message", R"({"worldId":"w1","messageId":"mine"})");
  BOOST_TEST(json::to_string(scoped["data"]).value_or("") ==
             R"({"messageId":"mine","cancelled":true,"state":"cancelled"})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
