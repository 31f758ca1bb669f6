// Renderer (see renderer.h).
#include "tools/aw-cli/renderer.h"

#include <utility>

#include "common/json.h"

namespace aw::cli {

void Renderer::set_view(const std::string& world_id, const std::optional<std::string>& chat_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  world_id_ = world_id;
  chat_id_ = chat_id;
}

std::pair<std::string, std::optional<std::string>> Renderer::view() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {world_id_, chat_id_};
}

void Renderer::show_stored(const std::string& sender, const std::string& content) { print_message(sender, content); }

void Renderer::print_message(const std::string& sender, const std::string& content) {
  if (sender == "human" || sender.empty()) {
    console_.line(console_.paint("[" + (sender.empty() ? std::string("human") : sender) + "] ", Colour::kBold) +
                  content);
  } else {
    console_.line(agent_label(sender) + ": " + content);
  }
}

void Renderer::track_sent(const std::string& message_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  sent_.insert(message_id);
  running_ = message_id;
}

std::string Renderer::running_message() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

void Renderer::set_on_finished(std::function<void(const std::string&, const std::string&)> callback) {
  std::lock_guard<std::mutex> lock(mutex_);
  on_finished_ = std::move(callback);
}

bool Renderer::in_view(const client::ServerFrame& f) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!world_id_.empty() && f.world_id != world_id_) return false;
  return !chat_id_ || !f.chat_id || *f.chat_id == *chat_id_;
}

std::string Renderer::agent_label(const std::string& agent_id) const {
  return console_.paint(agent_id, console_.agent_colour(agent_id));
}

void Renderer::on_message(const client::ServerFrame& f) {
  if (!in_view(f)) return;
  const std::string sender = f.payload_string("sender").value_or("");
  const std::string id = f.payload_string("messageId").value_or("");
  const std::string content = f.payload_string("content").value_or("");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sent_.count(id) != 0 || streamed_.count(id) != 0) return;  // our own line, or a reply already streamed
  }
  print_message(sender, content);
}

void Renderer::on_sse(const client::ServerFrame& f) {
  if (!in_view(f)) return;
  const std::string type = f.payload_string("type").value_or("");
  const std::string agent = f.payload_string("agentName").value_or("agent");
  const std::string id = f.payload_string("messageId").value_or("");
  if (type == "chunk") {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      streamed_.insert(id);
    }
    console_.stream(id, agent_label(agent) + ": ", f.payload_string("content").value_or(""));
  } else if (type == "end") {
    console_.end_stream(id);
  } else if (type == "error") {
    console_.end_stream(id);
    console_.line(console_.paint("! " + agent + ": " + f.payload_string("error").value_or("error"), Colour::kRed));
  }
}

void Renderer::on_world(const client::ServerFrame& f) {
  if (!in_view(f)) return;
  const std::string type = f.payload_string("type").value_or("");
  if (type != "response-start") return;  // idle and response-end carry nothing a reader needs
  std::string source = f.payload_string("source").value_or("");
  if (source.rfind("agent:", 0) == 0) source = source.substr(6);
  console_.line(
      console_.paint("… " + (source.empty() ? std::string("an agent") : source) + " is thinking", Colour::kDim));
}

void Renderer::on_system(const client::ServerFrame& f) {
  if (!in_view(f)) return;
  std::string text;
  const json::Value& p = f.payload();
  if (const json::Value* c = json::find(p, "content")) {
    text = c->IsString() ? std::string(c->GetString(), c->GetStringLength()) : json::to_string(*c).value_or("");
  }
  console_.line(console_.paint("* system: " + text, Colour::kYellow));
}

void Renderer::on_status(const client::ServerFrame& f) {
  const std::string& s = f.status;
  if (s != "processing" && s != "completed" && s != "failed" && s != "retrying" && s != "queued" &&
      s != "unsubscribed") {
    return;
  }
  std::string text = "[" + s + "]";
  if (!f.message_id.empty()) text += " " + f.message_id;
  if (auto attempt = f.payload_int("attempt"); attempt && *attempt > 0) text += " attempt " + std::to_string(*attempt);
  if (auto error = f.payload_string("error")) text += ": " + *error;
  if (auto reason = f.payload_string("reason")) text += " (" + *reason + ") " + f.world_id;
  if (auto next = f.payload_int("retryInMs")) text += ", retry in " + std::to_string(*next) + " ms";
  Colour colour = s == "failed" ? Colour::kRed : s == "retrying" ? Colour::kYellow : Colour::kDim;
  if (s == "completed") colour = Colour::kGreen;
  console_.line(console_.paint(text, colour));
  if (s != "completed" && s != "failed") return;
  std::function<void(const std::string&, const std::string&)> callback;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sent_.count(f.message_id) == 0) return;
    if (running_ == f.message_id) running_.clear();
    callback = on_finished_;
  }
  if (callback) callback(f.message_id, s);
}

void Renderer::on_crud(const client::ServerFrame& f) {
  const std::string op = f.payload_string("operation").value_or("update");
  const std::string type = f.payload_string("entityType").value_or("entity");
  const std::string id = f.payload_string("entityId").value_or("");
  console_.line(console_.paint("* " + type + " '" + id + "' " + op + (!op.empty() && op.back() == 'e' ? "d" : "ed"),
                               Colour::kBlue));
}

void Renderer::on_error(const client::ServerFrame& f) {
  console_.line(console_.paint("! " + (f.code.empty() ? std::string() : f.code + ": ") + f.error, Colour::kRed));
}

}  // namespace aw::cli
