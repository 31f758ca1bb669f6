// awctl: the operator's tool over the gateway's admin REQ/REP endpoint and its tap (bus-protocol.md §10).
//   awctl [--json] [--admin-url URL] [--timeout-ms N] [--world W] queue | dead
//   awctl [--json] [--admin-url URL] [--timeout-ms N] running | processors | health
//   awctl [--json] [--admin-url URL] [--world W] retry ID | cancel ID | purge ID | purge --all
//   awctl [--tap-url URL] [--count N] [--duration-ms N] [--topics] tap [WORLD]
//   awctl [--json] keygen
// Tables by default, the reply's `data` as JSON with --json. Exit: 0 ok, 1 refused by the gateway, 2 usage or
// endpoint error, 3 no reply in time. Settings: AW_ADMIN_URL (tcp://127.0.0.1:5559), AW_TAP_URL
// (tcp://127.0.0.1:5558), AW_ADMIN_TIMEOUT_MS (5000); CURVE (bus-protocol.md §11) when AW_BUS_CURVE_SECRET_KEY and
// AW_BUS_CURVE_SERVER_KEY (or --server-key) are set: mutating ops need the key in the gateway's
// AW_ADMIN_CURVE_CLIENTS. The secret key is read from the environment only, never from the command line (ps).
// `keygen` prints a fresh Z85 key pair (zmq_curve_keypair). Without --world, retry / cancel / purge act in every
// world (bus-protocol.md §10); `purge` deletes dead-letter (failed) rows only, one ID or, with --all, every one.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/bus/curve_socket.h"
#include "common/env.h"
#include "common/json.h"
#include "tools/awctl/admin_client.h"
#include "tools/awctl/table.h"
#include "tools/awctl/tap.h"

namespace {

constexpr const char* kUsage =
    "usage: awctl [--json] [--admin-url URL] [--timeout-ms N] [--world WORLD] queue|dead\n"
    "       awctl [--json] [--admin-url URL] [--timeout-ms N] running|processors|health\n"
    "       awctl [--json] [--admin-url URL] [--world WORLD] retry MESSAGE_ID | cancel MESSAGE_ID\n"
    "       awctl [--json] [--admin-url URL] [--world WORLD] purge MESSAGE_ID | purge --all\n"
    "         (without --world: every world; purge deletes failed rows only)\n"
    "       awctl [--tap-url URL] [--count N] [--duration-ms N] [--topics] tap [WORLD]\n"
    "       awctl [--json] keygen   (prints a new CURVE key pair, Z85)\n"
    "Options for a CURVE gateway: [--server-key GATEWAY_PUBLIC_KEY] (or AW_BUS_CURVE_SERVER_KEY).\n"
    "Environment: AW_ADMIN_URL (default tcp://127.0.0.1:5559), AW_TAP_URL (default tcp://127.0.0.1:5558),\n"
    "AW_ADMIN_TIMEOUT_MS (default 5000), AW_BUS_CURVE_SECRET_KEY (this client's secret key: CURVE on),\n"
    "AW_BUS_CURVE_SERVER_KEY (the gateway's public key).\n";

int usage(const std::string& why) {
  std::fprintf(stderr, "awctl: %s\n%s", why.c_str(), kUsage);
  return 2;
}

std::string json_quoted(const std::string& s) {
  std::string out;
  aw::json::append_quoted(out, s);
  return out;
}

std::optional<long long> positive(const char* text) {
  char* end = nullptr;
  const long long v = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || v <= 0) return std::nullopt;
  return v;
}

// `running`: one row per run held by a processor, from the `processors` reply.
void print_running(const aw::json::Value* data) {
  aw::json::Document rows(rapidjson::kArrayType);
  auto& alloc = rows.GetAllocator();
  const aw::json::Value* list = data;
  if (list != nullptr && list->IsObject()) list = aw::json::find(*list, "processors");
  if (list != nullptr && list->IsArray()) {
    for (const auto& p : list->GetArray()) {
      const aw::json::Value* runs = aw::json::find(p, "runs");
      if (runs == nullptr || !runs->IsArray()) continue;
      for (const auto& r : runs->GetArray()) {
        aw::json::Value row(rapidjson::kObjectType);
        if (const aw::json::Value* id = aw::json::find(p, "id"))
          row.AddMember("processor", aw::json::Value(*id, alloc), alloc);
        if (r.IsObject()) {
          for (auto m = r.MemberBegin(); m != r.MemberEnd(); ++m)
            row.AddMember(aw::json::Value(m->name, alloc), aw::json::Value(m->value, alloc), alloc);
        } else {
          row.AddMember("run", aw::json::Value(r, alloc), alloc);
        }
        rows.PushBack(row, alloc);
      }
    }
  }
  std::fputs(aw::ctl::render_table(rows).c_str(), stdout);
}

void print_table(const std::string& command, const aw::json::Value* data) {
  if (data == nullptr) {
    std::puts("ok");
    return;
  }
  if (command == "running") return print_running(data);
  const aw::json::Value* rows = data;
  // queue-status answers {worlds:[...]}, processors may answer {processors:[...]}: tabulate the one array inside.
  if (data->IsObject() && data->MemberCount() == 1 && data->MemberBegin()->value.IsArray()) {
    rows = &data->MemberBegin()->value;
  }
  if (rows->IsArray()) {
    std::fputs(aw::ctl::render_table(*rows).c_str(), stdout);
  } else if (rows->IsObject()) {
    for (auto m = rows->MemberBegin(); m != rows->MemberEnd(); ++m) {
      std::printf("%-16s %s\n", m->name.GetString(), aw::ctl::cell_text(m->value).c_str());
    }
  } else {
    std::printf("%s\n", aw::ctl::cell_text(*rows).c_str());
  }
}

// `keygen`: a fresh key pair; the public half goes into the gateway's lists (or, for the gateway's own pair, into
// every client's AW_BUS_CURVE_SERVER_KEY), the secret half into this process's AW_BUS_CURVE_SECRET_KEY.
int keygen(bool json_out) {
  auto pair = aw::bus::generate_curve_keypair();
  if (!pair) {
    std::fprintf(stderr, "awctl: keygen: %s\n", pair.status().message().c_str());
    return 2;
  }
  if (json_out) {
    std::printf("{\"publicKey\":%s,\"secretKey\":%s}\n", json_quoted(pair->public_key).c_str(),
                json_quoted(pair->secret_key).c_str());
  } else {
    std::printf("public-key: %s\nsecret-key: %s\n", pair->public_key.c_str(), pair->secret_key.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool json_out = false;
  bool topics = false;
  bool all = false;
  std::string admin_url = aw::env_string("AW_ADMIN_URL").value_or("tcp://127.0.0.1:5559");
  std::string tap_url = aw::env_string("AW_TAP_URL").value_or("tcp://127.0.0.1:5558");
  auto timeout_env = aw::env_int("AW_ADMIN_TIMEOUT_MS", 5000, 1, 3600000);
  if (!timeout_env) return usage(timeout_env.status().message());
  long long timeout_ms = *timeout_env;
  std::optional<long long> count;
  std::optional<long long> duration_ms;
  std::string world;
  std::optional<std::string> server_key = aw::env_string("AW_BUS_CURVE_SERVER_KEY");
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--json") {
      json_out = true;
    } else if (a == "--topics") {
      topics = true;
    } else if (a == "--all") {
      all = true;
    } else if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if ((a == "--admin-url" || a == "--tap-url" || a == "--world") && has_value) {
      (a == "--admin-url" ? admin_url : a == "--tap-url" ? tap_url : world) = argv[++i];
    } else if (a == "--server-key" && has_value) {
      server_key = argv[++i];
    } else if ((a == "--timeout-ms" || a == "--count" || a == "--duration-ms") && has_value) {
      auto v = positive(argv[++i]);
      if (!v) return usage(a + " must be a positive integer");
      if (a == "--timeout-ms") timeout_ms = *v;
      if (a == "--count") count = *v;
      if (a == "--duration-ms") duration_ms = *v;
    } else if (!a.empty() && a[0] == '-') {
      return usage("unknown option or missing value: " + a);
    } else {
      args.push_back(a);
    }
  }
  if (args.empty()) return usage("no command");
  const std::string& cmd = args[0];
  if (cmd == "keygen") return args.size() == 1 ? keygen(json_out) : usage("keygen takes no argument");
  auto curve = aw::bus::curve_client_keys(aw::env_string("AW_BUS_CURVE_SECRET_KEY"), server_key);
  if (!curve) return usage(curve.status().message());
  if (cmd == "tap") {
    if (args.size() > 2) return usage("tap takes at most one WORLD");
    aw::ctl::TapOptions t;
    t.endpoint = tap_url;
    t.world = args.size() == 2 ? args[1] : "";
    t.count = count;
    if (duration_ms) t.duration = std::chrono::milliseconds(*duration_ms);
    t.with_topic = topics;
    t.curve = curve.value();
    return aw::ctl::run_tap(t);
  }
  std::string op;
  std::string params;
  const std::string world_param = world.empty() ? "" : "{\"worldId\":" + json_quoted(world) + "}";
  if (cmd == "queue") {
    op = "queue-status";
    params = world_param;
  } else if (cmd == "running" || cmd == "processors") {
    op = "processors";
  } else if (cmd == "dead") {
    op = "list-failed";
    params = world_param;
  } else if (cmd == "health") {
    op = "health";
  } else if (cmd == "retry" || cmd == "cancel") {
    if (args.size() != 2) return usage(cmd + " needs a message ID");
    op = cmd == "retry" ? "retry-failed" : "cancel-message";
    params =
        "{\"messageId\":" + json_quoted(args[1]) + (world.empty() ? "" : ",\"worldId\":" + json_quoted(world)) + "}";
  } else if (cmd == "purge") {
    // One ID, or --all: a bare `purge` would empty the whole dead letter by accident.
    if ((args.size() == 2) == all || args.size() > 2) return usage("purge needs a message ID, or --all");
    op = "purge-failed";
    params = "{";
    if (args.size() == 2) params += "\"messageId\":" + json_quoted(args[1]);
    if (!world.empty()) params += std::string(params.size() > 1 ? "," : "") + "\"worldId\":" + json_quoted(world);
    params += "}";
  } else {
    return usage("unknown command " + cmd);
  }
  if (all && cmd != "purge") return usage("--all is for purge only");
  if (args.size() > 1 && cmd != "retry" && cmd != "cancel" && cmd != "purge") return usage(cmd + " takes no argument");
  auto reply = aw::ctl::admin_request(admin_url, op, params, std::chrono::milliseconds(timeout_ms), curve.value());
  if (!reply) {
    std::fprintf(stderr, "awctl: %s: %s\n", cmd.c_str(), reply.status().message().c_str());
    if (reply.status().code() == "timeout" && curve.value()) {
      // A refused CURVE handshake is silent on the client side.
      std::fputs(
          "awctl: with CURVE, check that this key is listed on the gateway and that AW_BUS_CURVE_SERVER_KEY is "
          "the gateway's public key\n",
          stderr);
    }
    return reply.status().code() == "timeout" ? 3 : reply.status().code() == "admin_error" ? 1 : 2;
  }
  if (json_out) {
    std::puts(reply->data != nullptr ? aw::json::to_string(*reply->data).value_or("null").c_str() : "null");
  } else {
    print_table(cmd, reply->data);
  }
  return 0;
}
