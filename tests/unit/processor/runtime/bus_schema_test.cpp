// What the runtime emits validates against the bus contract (proto/bus/*.schema.json): event bodies, commits,
// title results, and the documented --once example as a `work` body.
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

// common/json.h configures RapidJSON; it must come before any other RapidJSON header.
#include "common/json.h"

#include <rapidjson/schema.h>

#include <boost/test/unit_test.hpp>

#include "processor/runtime/event_body.h"
#include "processor/runtime/title_job.h"
#include "tests/unit/processor/runtime/run_fixture.h"

using namespace aw;
using namespace aw::processor;
using namespace aw::processor::testing;

namespace {

// The repository root, from this file's path (CMake compiles with absolute paths).
std::string repo_path(const std::string& relative) {
  std::string path = __FILE__;
  return path.substr(0, path.rfind("tests/unit/processor/runtime/")) + relative;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in.good(), "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class SchemaCheck {
 public:
  explicit SchemaCheck(const std::string& kind) {
    auto doc = json::parse_trusted(read_text(repo_path("proto/bus/" + kind + ".schema.json")));
    BOOST_REQUIRE(doc.is_ok());
    schema_doc_ = std::move(doc.value());
    schema_ = std::make_unique<rapidjson::SchemaDocument>(schema_doc_);
  }

  void expect_valid(const std::string& body) {
    auto doc = json::parse_trusted(body);
    BOOST_REQUIRE_MESSAGE(doc.is_ok(), "not JSON: " + body);
    rapidjson::SchemaValidator validator(*schema_);
    const bool valid = doc.value().Accept(validator);
    std::string where;
    if (!valid) {
      rapidjson::StringBuffer pointer;
      validator.GetInvalidDocumentPointer().StringifyUriFragment(pointer);
      where = std::string(pointer.GetString()) + " (" + validator.GetInvalidSchemaKeyword() + ")";
    }
    BOOST_TEST(valid, "invalid at " + where + ": " + body);
  }

 private:
  json::Document schema_doc_;
  std::unique_ptr<rapidjson::SchemaDocument> schema_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(bus_schema)

BOOST_AUTO_TEST_CASE(events_and_commits_of_a_run_match_the_bus_schemas) {
  RunFixture f;
  f.scripted_replies("a1", {error_reply("401 Incorrect API key provided")});
  f.replies("a2", {"@a1 over to you", "fine"});
  f.item.world.turn_limit = 1;  // a1 is at its limit when a2 addresses it: a notice as well
  f.trigger("alice", "Hello everyone!");
  f.run();
  BOOST_REQUIRE(f.commit.has_value());

  const AttemptIdentity identity{new_processor_id(), f.item.world_id, f.item.run_id, f.item.attempt};
  SchemaCheck event_schema("event");
  std::set<std::string> seen;
  for (const RuntimeEvent& e : f.sink.events()) {
    event_schema.expect_valid(event_body_json(e, identity));
    seen.insert(std::string(event_type_name(e.type)));
  }
  BOOST_TEST(seen.size() == 4u);  // message, sse, world and system were all checked

  BOOST_TEST(f.commit->messages.size() == 2u);  // a2's reply and a1's notice
  SchemaCheck commit_schema("commit");
  commit_schema.expect_valid(commit_to_json(*f.commit, identity.processor_id));
  f.commit->outcome = CommitOutcome::RunTimeout;
  commit_schema.expect_valid(commit_to_json(*f.commit, identity.processor_id));
}

BOOST_AUTO_TEST_CASE(title_results_match_the_bus_schema) {
  TitleJob job;
  job.dispatch_id = "d1";
  job.world_id = "w";
  job.chat_id = "c1";
  SchemaCheck schema("title-result");
  schema.expect_valid(title_result_to_json(job, TitleResult{std::string("Fake Title"), ""}, new_processor_id()));
  schema.expect_valid(title_result_to_json(job, TitleResult{std::nullopt, "Connection error."}, "p-1"));
}

BOOST_AUTO_TEST_CASE(the_once_example_is_a_valid_work_body) {
  SchemaCheck schema("work");
  schema.expect_valid(read_text(repo_path("processor/examples/two_agents_run.json")));
}

BOOST_AUTO_TEST_CASE(processor_ids_follow_the_bus_rule) {
  const std::string id = new_processor_id();
  BOOST_TEST(id.size() <= 100u);
  for (char c : id) {
    BOOST_TEST(((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                c == '-'));
  }
  BOOST_TEST(id != new_processor_id());
}

BOOST_AUTO_TEST_SUITE_END()
