// Request/response helpers (see protocol_helpers.h).
#include "tests/support/protocol_helpers.h"

#include <atomic>

namespace aw::test {
namespace {

const json::Value* at_data(const Frame& status, std::string_view path) {
  return path.empty() ? status.at("payload.data") : status.at("payload.data." + std::string(path));
}

}  // namespace

std::string next_request_id() {
  static std::atomic<std::uint64_t> counter{0};
  return "rq-" + std::to_string(++counter);
}

const json::Value* CommandReply::data(std::string_view path) const { return at_data(status, path); }

std::optional<std::string> CommandReply::data_string(std::string_view path) const {
  const json::Value* v = data(path);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::int64_t> CommandReply::data_int(std::string_view path) const {
  const json::Value* v = data(path);
  if (v == nullptr || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

std::optional<std::size_t> CommandReply::data_array_size(std::string_view path) const {
  const json::Value* v = data(path);
  if (v == nullptr || !v->IsArray()) return std::nullopt;
  return v->Size();
}

Result<CommandReply> run_command(WsTestClient& client, const std::string& command, const JsonObject& params,
                                 const std::optional<std::string>& world_id, Millis timeout) {
  const std::string request_id = next_request_id();
  JsonObject frame;
  frame.set("type", "command").set("requestId", request_id);
  if (world_id) frame.set("worldId", *world_id);
  frame.set("payload", JsonObject().set("command", command).set("params", params));
  Status s = client.send_text(frame.str());
  if (!s) return s;
  return await_command_reply(client, request_id, timeout);
}

Result<CommandReply> await_command_reply(WsTestClient& client, const std::string& request_id, Millis timeout) {
  CommandReply reply;
  reply.request_id = request_id;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    auto next = client.wait_for(has_request_id(request_id), left.count() > 0 ? left : Millis(0));
    if (!next) return Status::error("timeout", "no final status for command request " + request_id);
    if (next->type() == "error") {
      if (!reply.error) reply.error = std::move(*next);
      continue;
    }
    if (next->type() == "status" && (next->status() == "success" || next->status() == "error")) {
      reply.error_came_first = reply.error.has_value();
      reply.status = std::move(*next);
      return reply;
    }
    return Status::error("unexpected", "unexpected frame for command request " + request_id + ": " + next->text);
  }
}

Result<Frame> request(WsTestClient& client, JsonObject frame, Millis timeout) {
  const std::string request_id = next_request_id();
  frame.set("requestId", request_id);
  Status s = client.send_text(frame.str());
  if (!s) return s;
  auto answer = client.wait_for(has_request_id(request_id), timeout);
  if (!answer) return Status::error("timeout", "no answer to " + frame.str());
  return std::move(*answer);
}

Result<Frame> send_expecting_error(WsTestClient& client, std::string_view text, Millis timeout) {
  Status s = client.send_text(text);
  if (!s) return s;
  auto answer = client.wait_for(has_type("error"), timeout);
  if (!answer) return Status::error("timeout", "no error frame for " + std::string(text));
  return std::move(*answer);
}

Result<Frame> subscribe(WsTestClient& client, const std::string& world_id, const std::optional<std::string>& chat_id,
                        JsonObject extra) {
  extra.set("type", "subscribe").set("worldId", world_id);
  if (chat_id) extra.set("chatId", *chat_id);
  return request(client, std::move(extra));
}

Result<Frame> unsubscribe(WsTestClient& client, JsonObject fields) {
  fields.set("type", "unsubscribe");
  return request(client, std::move(fields));
}

bool ping_pong(WsTestClient& client, Millis timeout) {
  if (!client.send_text(R"({"type":"ping"})")) return false;
  return client.wait_for(has_type("pong"), timeout).has_value();
}

Result<std::string> create_world(WsTestClient& client, const std::string& name, JsonObject extra) {
  extra.set("name", name);
  auto reply = run_command(client, "create-world", extra);
  if (!reply) return reply.status();
  if (!reply->ok()) return Status::error(reply->code(), "create-world failed: " + reply->status.text);
  auto id = reply->data_string("id");
  if (!id) return Status::error("unexpected", "create-world without data.id: " + reply->status.text);
  return *id;
}

}  // namespace aw::test
