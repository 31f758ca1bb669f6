// SoakStack (see soak_stack.h).
#include "tests/soak/soak_stack.h"

#include <utility>

#include "common/json.h"
#include "tests/support/http_client.h"
#include "tests/support/protocol_helpers.h"

namespace aw::test {
namespace {

// Short replies with a small delay per chunk: a run streams a few chunks (transient frames to the subscribers)
// and lasts tens of milliseconds, so the queue keeps up with the senders on a busy 2-core machine.
constexpr char kFakeReply[] = "soak reply with a few words";
constexpr char kChunkDelayMs[] = "3";
constexpr Millis kCommandTimeout{15000};

}  // namespace

Result<std::unique_ptr<SoakStack>> SoakStack::start() {
  std::unique_ptr<SoakStack> stack(new SoakStack());
  if (Status s = stack->start_processes(); !s) return s;
  return stack;
}

Status SoakStack::start_processes() {
  FakeLlmOptions fake;
  fake.binary = AW_FAKE_LLM_BINARY;
  fake.extra_args = {"--chunk-delay-ms", kChunkDelayMs, "--default-reply", kFakeReply};
  fake.log_level = "warn";
  auto f = FakeLlmProcess::start(fake);
  if (!f) return Status::error(f.status().code(), "fake llm: " + f.status().message());
  fake_llm_ = std::move(f).value();

  GatewayOptions g;
  g.binary = AW_GATEWAY_BINARY;
  g.env = {{"AW_MAX_FRAME_BYTES", std::to_string(kSoakMaxFrameBytes)},
           {"AW_RATE_LIMIT_RPS", std::to_string(kSoakRateLimitRps)},
           {"AW_RATE_LIMIT_BURST", std::to_string(kSoakRateLimitBurst)}};
  auto gateway = GatewayProcess::start(g);
  if (!gateway) return Status::error(gateway.status().code(), "gateway: " + gateway.status().message());
  gateway_ = std::move(gateway).value();

  for (int i = 0; i < kSoakProcessors; ++i) {
    ProcessorOptions p;
    p.binary = AW_PROCESSOR_BINARY;
    p.env = {{"AW_BUS_WORK", gateway_->env().at("AW_BUS_WORK")},
             {"AW_BUS_EVENTS", gateway_->env().at("AW_BUS_EVENTS")},
             {"AW_BUS_CTL", gateway_->env().at("AW_BUS_CTL")},
             {"OPENAI_COMPATIBLE_BASE_URL", fake_llm_->base_url() + "/v1"},
             {"AW_LLM_RETRY_BASE_MS", "10"}};
    auto processor = ProcessorProcess::start(p);
    if (!processor) return Status::error(processor.status().code(), "processor: " + processor.status().message());
    processors_.push_back(std::move(processor).value());
  }

  admin_ = std::make_unique<WsTestClient>();
  return admin_->connect(gateway_->url());
}

Result<std::map<std::string, std::string>> SoakStack::create_worlds(int n) {
  std::map<std::string, std::string> ids;
  for (int i = 0; i < n; ++i) {
    auto world = create_world(*admin_, "Soak World " + std::to_string(i));
    if (!world) return world.status();
    auto got = run_command(*admin_, "get-world", JsonObject(), *world, kCommandTimeout);
    if (!got) return got.status();
    const auto chat = got->data_string("currentChatId");
    if (!got->ok() || !chat) return Status::error("internal", "get-world " + *world + ": no currentChatId");
    auto agent =
        run_command(*admin_, "create-agent",
                    JsonObject().set("name", "a1").set("provider", "openai-compatible").set("model", "fake-model"),
                    *world, kCommandTimeout);
    if (!agent) return agent.status();
    if (!agent->ok()) return Status::error(agent->code(), "create-agent: " + agent->message());
    ids.emplace(*world, *chat);
  }
  return ids;
}

bool SoakStack::wait_connections(int n, Millis timeout) {
  return wait_until(
      [&] {
        auto health = gateway_->http_get("/health");
        if (!health || health->status != 200) return false;
        auto doc = json::parse_untrusted(health->body);
        return doc && doc->IsObject() && json::get_int(*doc, "connections") == std::int64_t{n};
      },
      timeout, Millis(200));
}

Result<QueueTotals> SoakStack::queue_totals() {
  auto reply = run_command(*admin_, "queue-status", JsonObject(), std::nullopt, kCommandTimeout);
  if (!reply) return reply.status();
  if (!reply->ok()) return Status::error(reply->code(), "queue-status: " + reply->message());
  QueueTotals totals;
  const std::size_t worlds = reply->data_array_size("worlds").value_or(0);
  for (std::size_t i = 0; i < worlds; ++i) {
    const std::string row = "worlds." + std::to_string(i) + ".";
    totals.pending += reply->data_int(row + "pending").value_or(0);
    totals.processing += reply->data_int(row + "processing").value_or(0);
    totals.failed += reply->data_int(row + "failed").value_or(0);
  }
  return totals;
}

bool SoakStack::wait_queue_idle(Millis timeout) {
  return wait_until(
      [&] {
        auto totals = queue_totals();
        return totals && totals->pending == 0 && totals->processing == 0;
      },
      timeout, Millis(250));
}

Result<StoredConversation> SoakStack::conversation(const std::string& world_id, const std::string& chat_id) {
  StoredConversation out;
  std::optional<std::int64_t> before;
  for (;;) {
    JsonObject params;
    params.set("chatId", chat_id).set("limit", 500);
    if (before) params.set("beforeSeq", *before);
    auto reply = run_command(*admin_, "get-chat-messages", params, world_id, kCommandTimeout);
    if (!reply) return reply.status();
    if (!reply->ok()) return Status::error(reply->code(), "get-chat-messages: " + reply->message());
    const std::size_t n = reply->data_array_size("messages").value_or(0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string row = "messages." + std::to_string(i) + ".";
      if (reply->data_string(row + "sender").value_or("") == "human") {
        ++out.human_messages[reply->data_string(row + "messageId").value_or("")];
      } else if (auto reply_to = reply->data_string(row + "replyToMessageId")) {
        ++out.replies[*reply_to];
      }
    }
    const auto next = reply->data_int("nextBeforeSeq");
    if (!reply->data("hasMore") || !reply->data("hasMore")->IsTrue() || !next) return out;
    before = next;
  }
}

std::optional<double> SoakStack::metric(const std::string& name, const std::map<std::string, std::string>& labels) {
  auto response = gateway_->http_get("/metrics");
  if (!response || response->status != 200) return std::nullopt;
  return metric_value(response->body, name, labels);
}

}  // namespace aw::test
