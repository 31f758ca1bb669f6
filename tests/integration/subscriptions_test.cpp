// Subscriptions (ws-protocol.md §4.3 ack, §4.4 unsubscribe, §5.3 crud fan-out, §3.4 subscription cap): ack shapes
// and warnings, several subscriptions per connection, chat-keyed subscriptions, crud delivered to every subscriber
// of the world with its seq, and every unsubscribe form.
#include <boost/test/unit_test.hpp>

#include "tests/integration/assertions.h"

namespace aw::test {
namespace {

constexpr int kMaxSubscriptions = 4;

struct SubscriptionsFixture : GatewayFixture {
  GatewayProcess& gateway = shared("subscriptions", {{"AW_MAX_SUBSCRIPTIONS", std::to_string(kMaxSubscriptions)}});
  std::unique_ptr<WsTestClient> client = connect(gateway);
};

// Checks the crud envelope of §5.3.
void check_crud(const Frame& crud, const std::string& world, const std::string& operation,
                const std::string& entity_type, const std::string& entity_id) {
  BOOST_TEST_CONTEXT("crud " << crud.text) {
    BOOST_TEST(crud.type() == "crud");
    BOOST_TEST(str_of(crud, "worldId") == world);
    BOOST_TEST(int_of(crud, "seq") > 0);
    BOOST_TEST(crud.int_at("timestamp").has_value());
    BOOST_TEST(!crud.has("chatId"));
    BOOST_TEST(!crud.has("eventType"));
    BOOST_TEST(str_of(crud, "payload.operation") == operation);
    BOOST_TEST(str_of(crud, "payload.entityType") == entity_type);
    BOOST_TEST(str_of(crud, "payload.entityId") == entity_id);
    BOOST_TEST(str_of(crud, "payload.timestamp").size() == 24u);  // ISO-8601 with ms
    BOOST_TEST(crud.has("payload.entityData"));
  }
}

// Number of subscriptions whoami reports.
std::size_t subscription_count(WsTestClient& client) {
  return require_success(client, "whoami").data_array_size("subscriptions").value_or(999);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(subscriptions, SubscriptionsFixture)

BOOST_AUTO_TEST_CASE(ack_of_an_existing_world) {
  AW_REQUIRE_OK(create_world(*client, "Ack World"));
  const Frame ack = require_subscribed(*client, "ack-world");
  BOOST_TEST(!ack.has("chatId"));
  BOOST_TEST(ack.int_at("timestamp").has_value());
  // create-world persisted two crud frames: seq 1 and 2.
  BOOST_TEST(int_of(ack, "payload.seq") == 2);
  BOOST_TEST(int_of(ack, "payload.latestSeq") == 2);
  BOOST_TEST(str_of(ack, "payload.epoch").size() >= 16u);
  BOOST_TEST(bool_of(ack, "payload.recovered") == 0);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 0);
  BOOST_TEST(!ack.has("payload.warning"));
}

BOOST_AUTO_TEST_CASE(ack_of_an_unknown_world_warns_and_delivers_once_created) {
  const Frame ack = require_subscribed(*client, "ghost-world");
  BOOST_TEST(int_of(ack, "payload.seq") == 0);
  BOOST_TEST(int_of(ack, "payload.latestSeq") == 0);
  BOOST_TEST(bool_of(ack, "payload.recovered") == 0);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 0);
  BOOST_TEST(str_of(ack, "payload.warning") == "World 'ghost-world' not found");
  BOOST_TEST(!ack.has("payload.epoch"));

  auto creator = connect(gateway);
  AW_REQUIRE_OK(create_world(*creator, "Ghost World"));
  const Frame crud = require_crud(*client, "ghost-world");
  check_crud(crud, "ghost-world", "create", "world", "ghost-world");
}

BOOST_AUTO_TEST_CASE(ack_of_an_unknown_chat_warns_and_receives_the_whole_world) {
  AW_REQUIRE_OK(create_world(*client, "Chatless Sub World"));
  const Frame ack = require_subscribed(*client, "chatless-sub-world", std::string("chatless-sub-world"));
  BOOST_TEST(str_of(ack, "chatId") == "chatless-sub-world");
  BOOST_TEST(str_of(ack, "payload.warning") == "Chat 'chatless-sub-world' not found; receiving the whole world");
  require_success(*client, "create-agent", JsonObject().set("name", "Seen"), "chatless-sub-world");
  check_crud(require_crud(*client, "chatless-sub-world"), "chatless-sub-world", "create", "agent", "seen");
}

BOOST_AUTO_TEST_CASE(ack_echoes_the_world_id_as_received) {
  AW_REQUIRE_OK(create_world(*client, "Echo Sub World"));
  const Frame ack = require_subscribed(*client, "Echo Sub World");
  BOOST_TEST(int_of(ack, "payload.latestSeq") == 2);  // the canonical world was found
  BOOST_TEST(!ack.has("payload.warning"));
  auto other = connect(gateway);
  require_success(*other, "create-agent", JsonObject().set("name", "Echo Agent"), "echo-sub-world");
  // Broadcast frames carry the canonical id.
  check_crud(require_crud(*client, "echo-sub-world"), "echo-sub-world", "create", "agent", "echo-agent");
}

BOOST_AUTO_TEST_CASE(crud_reaches_every_subscriber_with_increasing_seq) {
  const std::string world = "crud-fanout-world";
  AW_REQUIRE_OK(create_world(*client, "Crud Fanout World"));
  const std::string chat = current_chat_id(*client, world);
  auto world_wide = connect(gateway);
  auto chat_keyed = connect(gateway);
  auto bystander = connect(gateway);
  const std::int64_t latest = int_of(require_subscribed(*world_wide, world), "payload.latestSeq");
  const Frame chat_ack = require_subscribed(*chat_keyed, world, chat);
  BOOST_TEST(str_of(chat_ack, "chatId") == chat);
  BOOST_TEST(!chat_ack.has("payload.warning"));

  // The requester has no subscription: it gets its answer and no crud.
  require_success(*client, "create-agent", JsonObject().set("id", "fan").set("name", "Fan"), world);
  require_success(*client, "update-agent", JsonObject().set("agentId", "fan").set("model", "m2"), world);
  for (WsTestClient* subscriber : {world_wide.get(), chat_keyed.get()}) {
    const Frame created = require_crud(*subscriber, world);
    check_crud(created, world, "create", "agent", "fan");
    BOOST_TEST(int_of(created, "seq") == latest + 1);
    BOOST_TEST(str_of(created, "payload.entityData.id") == "fan");
    BOOST_TEST(str_of(created, "payload.chatId") == chat);
    const Frame updated = require_crud(*subscriber, world);
    check_crud(updated, world, "update", "agent", "fan");
    BOOST_TEST(int_of(updated, "seq") == latest + 2);
    BOOST_TEST(str_of(updated, "payload.entityData.model") == "m2");
  }
  BOOST_TEST(ping_pong(*bystander));
  BOOST_TEST(ping_pong(*client));
  for (WsTestClient* outsider : {bystander.get(), client.get()}) {
    for (const Frame& f : outsider->take_queued()) BOOST_TEST(f.type() != "crud", "unsubscribed got " << f.text);
  }
}

// agent-runtime.md §10.3: which crud frames each mutation emits, in order, with payload.chatId = the current chat.
BOOST_AUTO_TEST_CASE(each_mutation_emits_its_crud_frames_in_order) {
  const std::string world = "crud-table-world";
  auto watcher = connect(gateway);
  require_subscribed(*watcher, world);
  // The next `count` crud frames of the world as "<operation> <entityType>". A step that must emit nothing is
  // proven by the next step's first frame.
  auto next_ops = [&](std::size_t count) {
    std::vector<std::string> ops;
    for (std::size_t i = 0; i < count; ++i) {
      const Frame crud = require_crud(*watcher, world);
      ops.push_back(str_of(crud, "payload.operation") + " " + str_of(crud, "payload.entityType"));
    }
    return ops;
  };
  using Ops = std::vector<std::string>;

  AW_REQUIRE_OK(create_world(*client, "Crud Table World"));
  BOOST_TEST(next_ops(2) == (Ops{"create world", "create chat"}), boost::test_tools::per_element());
  const std::string first_chat = current_chat_id(*client, world);

  require_success(*client, "update-world", JsonObject().set("description", "d"), world);
  BOOST_TEST(next_ops(1) == (Ops{"update world"}), boost::test_tools::per_element());

  require_success(*client, "create-agent", JsonObject().set("id", "ct").set("name", "Ct"), world);
  require_success(*client, "update-agent", JsonObject().set("agentId", "ct").set("model", "m"), world);
  require_success(*client, "clear-agent-memory", JsonObject().set("agentId", "ct"), world);
  BOOST_TEST(next_ops(3) == (Ops{"create agent", "update agent", "update agent"}), boost::test_tools::per_element());

  // new-chat reusing the empty "New Chat" creates nothing and changes nothing: no crud (the next frame below
  // belongs to delete-agent).
  require_success(*client, "new-chat", JsonObject(), world);
  require_success(*client, "delete-agent", JsonObject().set("agentId", "nobody"), world);  // nothing deleted
  require_success(*client, "delete-agent", JsonObject().set("agentId", "ct"), world);
  const Frame deleted_agent = require_crud(*watcher, world);
  BOOST_TEST(str_of(deleted_agent, "payload.operation") + " " + str_of(deleted_agent, "payload.entityType") ==
             "delete agent");
  BOOST_TEST(str_of(deleted_agent, "payload.entityId") == "ct");
  BOOST_TEST(deleted_agent.is_null_at("payload.entityData"));

  // new-chat that must create: create chat, update world (the current chat changed).
  require_queued(*client, world, "crud-table-m1", "occupies the first chat", JsonObject().set("chatId", first_chat));
  const std::string second_chat =
      require_success(*client, "new-chat", JsonObject(), world).data_string("chatId").value_or("");
  std::vector<Frame> frames;
  for (int i = 0; i < 2; ++i) frames.push_back(require_crud(*watcher, world));
  BOOST_TEST(str_of(frames[0], "payload.operation") + " " + str_of(frames[0], "payload.entityType") == "create chat");
  BOOST_TEST(str_of(frames[0], "payload.entityId") == second_chat);
  BOOST_TEST(str_of(frames[1], "payload.operation") + " " + str_of(frames[1], "payload.entityType") == "update world");
  BOOST_TEST(str_of(frames[1], "payload.chatId") == second_chat);

  require_success(*client, "select-chat", JsonObject().set("chatId", first_chat), world);
  const Frame selected = require_crud(*watcher, world);
  BOOST_TEST(str_of(selected, "payload.operation") + " " + str_of(selected, "payload.entityType") == "update world");
  BOOST_TEST(str_of(selected, "payload.chatId") == first_chat);

  require_success(*client, "rename-chat", JsonObject().set("chatId", second_chat).set("name", "Renamed"), world);
  BOOST_TEST(next_ops(1) == (Ops{"update chat"}), boost::test_tools::per_element());

  // Deleting the current chat: delete chat, then update world (another chat became current).
  require_success(*client, "delete-chat", JsonObject().set("chatId", first_chat), world);
  BOOST_TEST(next_ops(2) == (Ops{"delete chat", "update world"}), boost::test_tools::per_element());

  require_success(*client, "delete-world", JsonObject(), world);
  BOOST_TEST(next_ops(1) == (Ops{"delete world"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_subscribed_requester_gets_its_answer_before_the_crud) {
  const std::string world = "answer-first-world";
  AW_REQUIRE_OK(create_world(*client, "Answer First World"));
  require_subscribed(*client, world);
  AW_REQUIRE_OK(client->send_text(
      JsonObject()
          .set("type", "command")
          .set("worldId", world)
          .set("requestId", "af-1")
          .set("payload", JsonObject().set("command", "create-agent").set("params", JsonObject().set("name", "First")))
          .str()));
  auto first = client->wait_for([](const Frame& f) { return f.type() == "status" || f.type() == "crud"; });
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(first->status() == "success", "first frame: " << first->text);
  check_crud(require_crud(*client, world), world, "create", "agent", "first");
}

BOOST_AUTO_TEST_CASE(several_subscriptions_on_one_connection_and_one_copy_per_frame) {
  AW_REQUIRE_OK(create_world(*client, "Multi Sub One"));
  AW_REQUIRE_OK(create_world(*client, "Multi Sub Two"));
  const std::string chat = current_chat_id(*client, "multi-sub-one");
  auto subscriber = connect(gateway);
  require_subscribed(*subscriber, "multi-sub-one");
  require_subscribed(*subscriber, "multi-sub-one", chat);  // second key of the same world
  require_subscribed(*subscriber, "multi-sub-two");
  BOOST_TEST(subscription_count(*subscriber) == 3u);

  require_success(*client, "create-agent", JsonObject().set("name", "One"), "multi-sub-one");
  require_success(*client, "create-agent", JsonObject().set("name", "Two"), "multi-sub-two");
  require_success(*client, "create-agent", JsonObject().set("name", "Barrier"), "multi-sub-one");
  const Frame one = require_crud(*subscriber, "multi-sub-one");
  BOOST_TEST(str_of(one, "payload.entityId") == "one");
  BOOST_TEST(str_of(require_crud(*subscriber, "multi-sub-two"), "payload.entityId") == "two");
  // The next frame of world one is the barrier, not a second copy of "one".
  BOOST_TEST(str_of(require_crud(*subscriber, "multi-sub-one"), "payload.entityId") == "barrier");
  BOOST_TEST(ping_pong(*subscriber));
  for (const Frame& f : subscriber->take_queued()) BOOST_TEST(f.type() != "crud", "extra copy: " << f.text);
}

BOOST_AUTO_TEST_CASE(subscribing_the_same_key_again_replaces_it) {
  AW_REQUIRE_OK(create_world(*client, "Replace Sub World"));
  require_subscribed(*client, "replace-sub-world");
  require_subscribed(*client, "replace-sub-world");
  BOOST_TEST(subscription_count(*client) == 1u);
  require_success(*client, "create-agent", JsonObject().set("name", "Once"), "replace-sub-world");
  require_success(*client, "create-agent", JsonObject().set("name", "Twice"), "replace-sub-world");
  BOOST_TEST(str_of(require_crud(*client, "replace-sub-world"), "payload.entityId") == "once");
  BOOST_TEST(str_of(require_crud(*client, "replace-sub-world"), "payload.entityId") == "twice");
}

BOOST_AUTO_TEST_CASE(subscription_cap_is_limit_exceeded) {
  for (int i = 0; i < kMaxSubscriptions; ++i) require_subscribed(*client, "cap-world-" + std::to_string(i));
  auto refused = subscribe(*client, "cap-world-extra");
  AW_REQUIRE_OK(refused);
  check_error_frame(*refused, "limit_exceeded", "Too many subscriptions");
  // Re-subscribing a held key is a replacement, not a new subscription.
  require_subscribed(*client, "cap-world-0");
  BOOST_TEST(subscription_count(*client) == static_cast<std::size_t>(kMaxSubscriptions));
  // After an unsubscribe there is room again.
  AW_REQUIRE_OK(unsubscribe(*client, JsonObject().set("worldId", "cap-world-1")));
  require_subscribed(*client, "cap-world-extra");
  BOOST_TEST(ping_pong(*client));
}

BOOST_AUTO_TEST_CASE(unsubscribe_forms_and_removed_counts) {
  AW_REQUIRE_OK(create_world(*client, "Unsub World"));
  const std::string world = "unsub-world";
  const std::string chat = current_chat_id(*client, world);
  require_subscribed(*client, world);
  require_subscribed(*client, world, chat);

  // worldId + chatId: that key.
  auto one = unsubscribe(*client, JsonObject().set("worldId", world).set("chatId", chat));
  AW_REQUIRE_OK(one);
  BOOST_TEST(one->status() == "unsubscribed");
  BOOST_TEST(str_of(*one, "worldId") == world);
  BOOST_TEST(str_of(*one, "chatId") == chat);
  BOOST_TEST(int_of(*one, "payload.removed") == 1);
  // Nothing matched: still answered.
  auto none = unsubscribe(*client, JsonObject().set("worldId", world).set("chatId", chat));
  AW_REQUIRE_OK(none);
  BOOST_TEST(int_of(*none, "payload.removed") == 0);

  // "<world>:*" is split: every subscription of that world (the compat client's disconnect form).
  require_subscribed(*client, world, chat);
  auto star = unsubscribe(*client, JsonObject().set("worldId", world + ":*"));
  AW_REQUIRE_OK(star);
  BOOST_TEST(star->status() == "unsubscribed");
  BOOST_TEST(str_of(*star, "worldId") == world + ":*");
  BOOST_TEST(int_of(*star, "payload.removed") == 2);

  // "<world>:<chat>" is that key.
  require_subscribed(*client, world);
  require_subscribed(*client, world, chat);
  auto keyed = unsubscribe(*client, JsonObject().set("worldId", world + ":" + chat));
  AW_REQUIRE_OK(keyed);
  BOOST_TEST(int_of(*keyed, "payload.removed") == 1);
  BOOST_TEST(subscription_count(*client) == 1u);

  // worldId only: every subscription of the world.
  require_subscribed(*client, world, chat);
  auto whole = unsubscribe(*client, JsonObject().set("worldId", world));
  AW_REQUIRE_OK(whole);
  BOOST_TEST(int_of(*whole, "payload.removed") == 2);

  // No worldId: everything on the connection.
  require_subscribed(*client, world);
  require_subscribed(*client, "another-unsub-world");
  auto all = unsubscribe(*client, JsonObject());
  AW_REQUIRE_OK(all);
  BOOST_TEST(all->status() == "unsubscribed");
  BOOST_TEST(int_of(*all, "payload.removed") == 2);
  BOOST_TEST(!all->has("worldId"));
  BOOST_TEST(subscription_count(*client) == 0u);

  // No more crud after unsubscribing.
  auto writer = connect(gateway);
  require_success(*writer, "create-agent", JsonObject().set("name", "Unseen"), world);
  require_subscribed(*client, "barrier-unsub-world");
  AW_REQUIRE_OK(create_world(*writer, "Barrier Unsub World"));
  require_crud(*client, "barrier-unsub-world");  // arrives after the agent crud would have
  for (const Frame& f : client->take_queued()) {
    BOOST_TEST(!(f.type() == "crud" && f.string_at("worldId").value_or("") == world), "after unsubscribe: " << f.text);
  }
}

BOOST_AUTO_TEST_CASE(delete_world_unsubscribes_its_subscribers) {
  AW_REQUIRE_OK(create_world(*client, "Deleted Sub World"));
  auto subscriber = connect(gateway);
  require_subscribed(*subscriber, "deleted-sub-world");
  require_success(*client, "delete-world", JsonObject(), "deleted-sub-world");
  const Frame crud = require_crud(*subscriber, "deleted-sub-world");
  check_crud(crud, "deleted-sub-world", "delete", "world", "deleted-sub-world");
  BOOST_TEST(crud.is_null_at("payload.entityData"));
  auto gone = subscriber->wait_for(has_status("unsubscribed"));
  BOOST_REQUIRE_MESSAGE(gone.has_value(), "no unsubscribed status after delete-world");
  BOOST_TEST(str_of(*gone, "worldId") == "deleted-sub-world");
  BOOST_TEST(str_of(*gone, "payload.reason") == "world-deleted");
  BOOST_TEST(subscription_count(*subscriber) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
