// CoreFixture: a GatewayCore on a fresh SQLite file in a temp dir, with helpers to run commands and read answers.
// Thread-safety: test thread only.
#pragma once

#include <boost/test/unit_test.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "gateway/core/gateway_core.h"
#include "gateway/core/gateway_core_impl.h"
#include "tests/unit/gateway/temp_dir.h"

namespace aw::gateway::test {

struct CoreFixture {
  aw::test::TempDir dir;
  CoreOptions options;
  std::unique_ptr<GatewayCore> core;
  Principal admin;  // AW_AUTH=off: admin of every world

  CoreFixture() { reopen(); }

  void reopen() {
    core.reset();
    if (options.database_path.empty()) options.database_path = dir.file("agent-world-cpp.db");
    auto opened = GatewayCore::open(options, Logger());
    BOOST_REQUIRE_MESSAGE(opened.is_ok(), opened.status().message());
    core = std::move(opened.value());
  }

  storage::Storage& storage() { return static_cast<GatewayCoreImpl&>(*core).storage_for_test(); }

  CommandResult run(std::string_view command, std::string_view params_json = "{}",
                    std::optional<std::string> world_id = std::nullopt, const Principal* principal = nullptr) {
    auto params = json::parse_untrusted(params_json);
    BOOST_REQUIRE_MESSAGE(params.is_ok(), "bad test params: " << params_json);
    return core->run_command(command, params.value(), world_id, principal ? *principal : admin);
  }

  // Runs a command that must succeed.
  CommandResult ok(std::string_view command, std::string_view params_json = "{}",
                   std::optional<std::string> world_id = std::nullopt) {
    CommandResult r = run(command, params_json, std::move(world_id));
    BOOST_REQUIRE_MESSAGE(r.status.is_ok(), command << " failed: " << r.status.code() << " " << r.status.message());
    return r;
  }

  // Checks a failure's code and exact text.
  static void expect_error(const CommandResult& r, const std::string& code, const std::string& text) {
    BOOST_TEST(!r.status.is_ok());
    BOOST_TEST(r.status.code() == code);
    BOOST_TEST(r.status.message() == text);
  }

  static json::Document parse(const std::string& text) {
    auto doc = json::parse_untrusted(text, 256);
    BOOST_REQUIRE_MESSAGE(doc.is_ok(), "not JSON: " << text);
    return std::move(doc.value());
  }
  static json::Document data(const CommandResult& r) { return parse(r.data_json); }
  static json::Document frame(const PersistedFrame& f) { return parse(*f.live_json); }
  static std::string str(const json::Value& v, std::string_view key) {
    return json::get_string(v, key).value_or("<absent>");
  }
  static bool has(const json::Value& v, std::string_view key) { return json::find(v, key) != nullptr; }

  // Creates a world and returns its current chat id.
  std::string create_world(const std::string& name) {
    auto r = ok("create-world", "{\"name\":\"" + name + "\"}");
    return str(data(r), "currentChatId");
  }
  void create_agent(const std::string& world, const std::string& id) {
    ok("create-agent", "{\"id\":\"" + id + "\",\"name\":\"Agent " + id + "\"}", world);
  }
  // Adds a conversation message directly (the runtime that writes them is not part of the core yet).
  void add_message(const std::string& world, const std::string& chat, const std::string& id, std::int64_t seq,
                   const std::string& sender = "human") {
    storage::ConversationMessage m;
    m.world_id = world;
    m.message_id = id;
    m.chat_id = chat;
    m.seq = seq;
    m.sender = sender;
    m.content = "content of " + id;
    m.payload = "{\"content\":\"content of " + id + "\",\"sender\":\"" + sender + "\",\"messageId\":\"" + id +
                "\",\"chatId\":\"" + chat + "\"}";
    m.created_at = "2025-01-01T00:00:00.000Z";
    BOOST_REQUIRE(storage().conversation().insert(m).value());
  }
  EnqueueResult enqueue(const std::string& world, const std::string& message_id, const std::string& content = "hi",
                        std::optional<std::string> chat = std::nullopt) {
    EnqueueRequest req;
    req.world_id = world;
    req.message_id = message_id;
    req.content = content;
    req.chat_id = std::move(chat);
    return core->enqueue(req);
  }
};

}  // namespace aw::gateway::test
