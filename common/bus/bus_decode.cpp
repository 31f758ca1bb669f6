// Decoding and validation of bus frames (see bus_codec.h). Each kind has one reader; the topic check comes last
// because it needs the ids the body names.
#include "common/bus/bus_codec.h"
#include "common/bus/bus_topics.h"
#include "common/bus/field_reader.h"

namespace aw::bus {
namespace {

// Bus bodies nest little (work: body > history > agent > rows > row; payloads pass through), but event payloads
// are runtime data: allow what a client frame may carry.
constexpr int kMaxBodyDepth = 64;

std::string processor_id(FieldReader& f) {
  std::string id = f.str("processorId");
  if (f.ok() && !is_valid_processor_id(id)) f.fail("processorId must be 1..100 characters of A-Za-z0-9._-");
  return id;
}

MemoryRow read_memory_row(const json::Value& v, const std::string& path, std::string& error) {
  MemoryRow r;
  if (!v.IsObject()) {
    if (error.empty()) error = path + " must be an object";
    return r;
  }
  FieldReader f(v, path, error);
  r.agent_id = f.str("agentId");
  r.chat_id = f.str("chatId");
  r.role = f.str("role");
  r.content = f.str("content", false);
  r.sender = f.optional_str("sender");
  r.message_id = f.str("messageId");
  r.reply_to_message_id = f.optional_str("replyToMessageId");
  r.created_at = f.str("createdAt");
  return r;
}

// Serialises a verbatim payload back to compact text (it was parsed from valid UTF-8, so this only fails for a lone
// surrogate escape, which is refused as invalid).
std::string payload_text(const json::Value& v, const std::string& path, std::string& error) {
  auto text = json::to_string(v);
  if (!text && error.empty()) error = path + " holds text that is not valid UTF-8";
  return text.value_or("{}");
}

void read(FieldReader& f, Hello& m) {
  m.processor_id = processor_id(f);
  m.v_min = f.integer("vMin", 0);
  m.v_max = f.integer("vMax", m.v_min);
  m.slots = f.integer("slots", 0);
}

void read(FieldReader& f, Welcome& m) {
  m.processor_id = processor_id(f);
  m.gateway_id = f.str("gatewayId");
  m.heartbeat_ms = f.integer("heartbeatMs", 1);
}

void read(FieldReader& f, Heartbeat& m, std::string& error) {
  m.processor_id = processor_id(f);
  m.v_min = f.integer("vMin", 0);
  m.v_max = f.integer("vMax", m.v_min);
  m.slots = f.integer("slots", 0);
  const json::Value* runs = f.array("runs");
  if (runs == nullptr) return;
  for (rapidjson::SizeType i = 0; i < runs->Size(); ++i) {
    std::string path = f.path_of("runs") + "[" + std::to_string(i) + "]";
    if (!(*runs)[i].IsObject()) {
      f.fail(path + " must be an object");
      return;
    }
    FieldReader r((*runs)[i], path, error);
    m.runs.push_back(RunRef{r.str("worldId"), r.str("runId"), r.integer("attempt", 1)});
  }
}

void read(FieldReader& f, Work& m, std::string& error) {
  m.dispatch_id = f.str("dispatchId");
  m.world_id = f.str("worldId");
  m.run_id = f.str("runId");
  m.attempt = f.integer("attempt", 1);
  m.chat_id = f.str("chatId");
  m.activity_id = f.integer("activityId", 0);
  m.heartbeat_ms = f.integer("heartbeatMs", 1);
  m.lease_ms = f.integer("leaseMs", 1);
  m.deadline_ms = f.integer("deadlineMs", 1);
  m.history_window = f.integer("historyWindow", 0);
  if (const json::Value* t = f.object("trigger")) {
    FieldReader r(*t, f.path_of("trigger"), error);
    m.trigger = WorkTrigger{r.str("messageId"), r.str("content", false), r.str("sender"), r.str("createdAt")};
  }
  if (const json::Value* w = f.object("world")) {
    FieldReader r(*w, f.path_of("world"), error);
    m.world.id = r.str("id");
    m.world.name = r.str("name", false);
    m.world.turn_limit = r.optional_integer("turnLimit", 0).value_or(5);
    m.world.chat_llm_provider = r.optional_str("chatLLMProvider");
    m.world.chat_llm_model = r.optional_str("chatLLMModel");
  }
  if (const json::Value* c = f.object("chat")) {
    FieldReader r(*c, f.path_of("chat"), error);
    m.chat = WorkChat{r.str("id"), r.str("name", false)};
  }
  if (const json::Value* agents = f.array("agents")) {
    for (rapidjson::SizeType i = 0; i < agents->Size() && f.ok(); ++i) {
      std::string path = f.path_of("agents") + "[" + std::to_string(i) + "]";
      if (!(*agents)[i].IsObject()) {
        f.fail(path + " must be an object");
        break;
      }
      FieldReader r((*agents)[i], path, error);
      WorkAgent a;
      a.id = r.str("id");
      a.name = r.str("name", false);
      a.type = r.str("type", false);
      a.provider = r.str("provider", false);
      a.model = r.str("model", false);
      a.system_prompt = r.optional_str("systemPrompt");
      a.temperature = r.optional_number("temperature");
      a.max_tokens = r.optional_integer("maxTokens", 0);
      a.llm_call_count = r.integer("llmCallCount", 0);
      a.last_llm_call = r.optional_str("lastLLMCall");
      a.last_active = r.str("lastActive", false);
      a.rev = r.integer("rev", 0);
      m.agents.push_back(std::move(a));
    }
  }
  if (const json::Value* history = f.object("history")) {
    for (auto it = history->MemberBegin(); it != history->MemberEnd() && f.ok(); ++it) {
      const auto& entry = *it;
      std::string agent_id(entry.name.GetString(), entry.name.GetStringLength());
      std::string path = f.path_of("history") + "." + agent_id;
      if (!entry.value.IsArray()) {
        f.fail(path + " must be an array");
        break;
      }
      std::vector<MemoryRow> rows;
      for (rapidjson::SizeType i = 0; i < entry.value.Size(); ++i) {
        rows.push_back(read_memory_row(entry.value[i], path + "[" + std::to_string(i) + "]", error));
      }
      m.history.emplace_back(std::move(agent_id), std::move(rows));
    }
  }
}

void read(FieldReader& f, Accept& m) {
  m.processor_id = processor_id(f);
  m.world_id = f.str("worldId");
  m.run_id = f.str("runId");
  m.attempt = f.integer("attempt", 1);
  m.dispatch_id = f.str("dispatchId");
}

void read(FieldReader& f, Reject& m) {
  read(f, m.run);
  std::string reason = f.str("reason");
  auto parsed = parse_reject_reason(reason);
  if (f.ok() && !parsed) f.fail(f.path_of("reason") + " must be unsupported_version or busy");
  m.reason = parsed.value_or(RejectReason::Busy);
}

void read(FieldReader& f, Grant& m) {
  m.processor_id = processor_id(f);
  m.world_id = f.str("worldId");
  m.run_id = f.str("runId");
  m.attempt = f.integer("attempt", 1);
  m.dispatch_id = f.str("dispatchId");
}

void read(FieldReader& f, Deny& m) {
  read(f, m.run);
  m.reason = f.str("reason", false);
}

void read(FieldReader& f, Event& m, std::string& error) {
  m.processor_id = processor_id(f);
  m.world_id = f.str("worldId");
  m.chat_id = f.str("chatId");
  m.run_id = f.str("runId");
  m.attempt = f.integer("attempt", 1);
  m.index = f.integer("index", 0);
  m.event_type = f.str("eventType");
  if (f.ok() && m.event_type != "message" && m.event_type != "sse" && m.event_type != "world" &&
      m.event_type != "system") {
    f.fail(f.path_of("eventType") + " must be message, sse, world or system");
  }
  if (const json::Value* p = f.object("payload")) {
    FieldReader r(*p, f.path_of("payload"), error);
    m.payload_type = r.optional_str("type");
    m.payload_message_id = r.optional_str("messageId");
    m.payload_json = payload_text(*p, f.path_of("payload"), error);
  }
}

void read(FieldReader& f, Commit& m, std::string& error) {
  m.processor_id = processor_id(f);
  m.world_id = f.str("worldId");
  m.run_id = f.str("runId");
  m.attempt = f.integer("attempt", 1);
  m.last_index = f.integer("lastIndex", -1);
  std::string outcome = f.str("outcome");
  auto parsed = parse_commit_outcome(outcome);
  if (f.ok() && !parsed) f.fail(f.path_of("outcome") + " must be completed, cancelled or run_timeout");
  m.outcome = parsed.value_or(CommitOutcome::Completed);
  if (const json::Value* messages = f.array("messages")) {
    for (rapidjson::SizeType i = 0; i < messages->Size() && f.ok(); ++i) {
      std::string path = f.path_of("messages") + "[" + std::to_string(i) + "]";
      const json::Value& v = (*messages)[i];
      if (!v.IsObject()) {
        f.fail(path + " must be an object");
        break;
      }
      FieldReader r(v, path, error);
      CommitMessage msg;
      msg.message_id = r.str("messageId");
      msg.chat_id = r.str("chatId");
      msg.sender = r.str("sender");
      msg.content = r.str("content", false);
      msg.timestamp = r.str("timestamp");
      msg.reply_to_message_id = r.optional_str("replyToMessageId");
      msg.payload_json = payload_text(v, path, error);
      m.messages.push_back(std::move(msg));
    }
  }
  if (const json::Value* memory = f.array("memory")) {
    for (rapidjson::SizeType i = 0; i < memory->Size() && f.ok(); ++i) {
      m.memory.push_back(read_memory_row((*memory)[i], f.path_of("memory") + "[" + std::to_string(i) + "]", error));
    }
  }
  if (const json::Value* agents = f.array("agents")) {
    for (rapidjson::SizeType i = 0; i < agents->Size() && f.ok(); ++i) {
      std::string path = f.path_of("agents") + "[" + std::to_string(i) + "]";
      if (!(*agents)[i].IsObject()) {
        f.fail(path + " must be an object");
        break;
      }
      FieldReader r((*agents)[i], path, error);
      AgentCounters a;
      a.id = r.str("id");
      a.rev = r.integer("rev", 0);
      a.llm_call_count = r.integer("llmCallCount", 0);
      a.last_llm_call = r.optional_str("lastLLMCall");
      a.last_active = r.optional_str("lastActive");
      m.agents.push_back(std::move(a));
    }
  }
}

void read(FieldReader& f, CommitAck& m) {
  m.processor_id = processor_id(f);
  m.world_id = f.str("worldId");
  m.run_id = f.str("runId");
  m.attempt = f.integer("attempt", 1);
  auto parsed = parse_commit_result(f.str("result"));
  if (f.ok() && !parsed) f.fail(f.path_of("result") + " must be applied, duplicate or stale");
  m.result = parsed.value_or(CommitResult::Stale);
}

void read(FieldReader& f, Cancel& m) {
  m.processor_id = processor_id(f);
  m.world_id = f.str("worldId");
  m.run_id = f.str("runId");
  m.attempt = f.integer("attempt", 1);
  auto parsed = parse_cancel_reason(f.str("reason"));
  if (f.ok() && !parsed) f.fail(f.path_of("reason") + " must be cancelled, chat_deleted, world_deleted or stale");
  m.reason = parsed.value_or(CancelReason::Stale);
}

void read(FieldReader& f, Title& m) {
  m.dispatch_id = f.str("dispatchId");
  m.world_id = f.str("worldId");
  m.chat_id = f.str("chatId");
  m.provider = f.str("provider", false);
  m.model = f.str("model", false);
  m.timeout_ms = f.integer("timeoutMs", 1);
  if (const json::Value* lines = f.array("lines")) {
    for (rapidjson::SizeType i = 0; i < lines->Size(); ++i) {
      if (!(*lines)[i].IsString()) {
        f.fail(f.path_of("lines") + "[" + std::to_string(i) + "] must be a string");
        break;
      }
      m.lines.emplace_back((*lines)[i].GetString(), (*lines)[i].GetStringLength());
    }
  }
}

void read(FieldReader& f, TitleResult& m) {
  m.processor_id = processor_id(f);
  m.dispatch_id = f.str("dispatchId");
  m.world_id = f.str("worldId");
  m.chat_id = f.str("chatId");
  m.title = f.optional_str("title");
  m.error = f.optional_str("error");
}

// The topic a decoded message must have travelled on.
std::string expected_topic(const BusMessage& message) {
  struct Visitor {
    std::string operator()(const Hello& m) const { return hello_topic(m.processor_id); }
    std::string operator()(const Welcome& m) const { return ctl_topic(m.processor_id); }
    std::string operator()(const Heartbeat& m) const { return hb_topic(m.processor_id); }
    std::string operator()(const Work&) const { return std::string(kWorkTopic); }
    std::string operator()(const Accept& m) const { return run_topic(m.world_id); }
    std::string operator()(const Reject& m) const { return run_topic(m.run.world_id); }
    std::string operator()(const Grant& m) const { return ctl_topic(m.processor_id); }
    std::string operator()(const Deny& m) const { return ctl_topic(m.run.processor_id); }
    std::string operator()(const Event& m) const { return event_topic(m.world_id); }
    std::string operator()(const Commit& m) const { return commit_topic(m.world_id); }
    std::string operator()(const CommitAck& m) const { return ctl_topic(m.processor_id); }
    std::string operator()(const Cancel& m) const { return ctl_topic(m.processor_id); }
    std::string operator()(const Title&) const { return std::string(kTitleTopic); }
    std::string operator()(const TitleResult& m) const { return title_result_topic(m.world_id); }
  };
  return std::visit(Visitor{}, message);
}

template <typename T>
BusMessage read_plain(FieldReader& f) {
  T m;
  read(f, m);
  return m;
}

template <typename T>
BusMessage read_nested(FieldReader& f, std::string& error) {
  T m;
  read(f, m, error);
  return m;
}

std::optional<BusMessage> read_kind(std::string_view kind, FieldReader& f, std::string& error) {
  if (kind == "hello") return read_plain<Hello>(f);
  if (kind == "welcome") return read_plain<Welcome>(f);
  if (kind == "hb") return read_nested<Heartbeat>(f, error);
  if (kind == "work") return read_nested<Work>(f, error);
  if (kind == "accept") return read_plain<Accept>(f);
  if (kind == "reject") return read_plain<Reject>(f);
  if (kind == "grant") return read_plain<Grant>(f);
  if (kind == "deny") return read_plain<Deny>(f);
  if (kind == "event") return read_nested<Event>(f, error);
  if (kind == "commit") return read_nested<Commit>(f, error);
  if (kind == "commit-ack") return read_plain<CommitAck>(f);
  if (kind == "cancel") return read_plain<Cancel>(f);
  if (kind == "title") return read_plain<Title>(f);
  if (kind == "title-result") return read_plain<TitleResult>(f);
  return std::nullopt;
}

}  // namespace

Result<BusMessage> decode(std::string_view topic, std::string_view body) {
  auto doc = json::parse_untrusted(body, kMaxBodyDepth);
  if (!doc) return Status::error(kDropInvalid, "bus body: " + doc.status().message());
  const json::Value& root = doc.value();
  if (!root.IsObject()) return Status::error(kDropInvalid, "bus body must be a JSON object");
  // The version is checked before anything else: a newer protocol may change every other field.
  auto v = json::get_int(root, "v");
  if (!v) return Status::error(kDropInvalid, "bus body: v must be an integer");
  if (*v != kProtocolVersion) {
    return Status::error(kDropVersion, "bus body: version " + std::to_string(*v) + " is not spoken here (" +
                                           std::to_string(kProtocolVersion) + ")");
  }
  auto kind = json::get_string(root, "kind");
  if (!kind) return Status::error(kDropInvalid, "bus body: kind must be a string");
  std::string error;
  FieldReader fields(root, *kind, error);
  std::optional<BusMessage> message = read_kind(*kind, fields, error);
  if (!message) return Status::error(kDropInvalid, "bus body: unknown kind '" + *kind + "'");
  if (!error.empty()) return Status::error(kDropInvalid, error);
  std::string expected = expected_topic(*message);
  if (topic != expected) {
    return Status::error(kDropInvalid, *kind + " on topic '" + std::string(topic) + "', expected '" + expected + "'");
  }
  return std::move(*message);
}

}  // namespace aw::bus
