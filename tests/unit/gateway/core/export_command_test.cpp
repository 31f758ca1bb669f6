// Tests of the export-world command (gateway/core/export_command.cpp); the renderer has its own tests.
#include <boost/test/unit_test.hpp>

#include "gateway/core/world_export.h"
#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::test {
namespace {

BOOST_FIXTURE_TEST_SUITE(export_command, CoreFixture)

BOOST_AUTO_TEST_CASE(export_world_renders_the_world) {
  ok("create-world", R"({"name":"Export Me","description":"A described world","turnLimit":4})");
  ok("create-agent", R"({"id":"alice","name":"Alice","model":"llama3.2:3b","provider":"ollama"})",
     std::string("export-me"));
  const std::string chat = *storage().worlds().find("export-me").value()->current_chat_id;
  add_message("export-me", chat, "h1", 3);
  BOOST_REQUIRE(core->append_event("export-me", chat, "message", R"({"content":"hi","sender":"human"})",
                                   std::string("h1"), std::nullopt, std::string("h1"))
                    .is_ok());
  auto r = ok("export-world", "{}", std::string("export-me"));
  auto d = data(r);
  BOOST_REQUIRE(d.IsString());
  const std::string markdown(d.GetString(), d.GetStringLength());
  BOOST_TEST(r.message == "World exported (" + std::to_string(code_point_count(markdown)) + " characters)");
  for (const char* needle :
       {"# World Export:", "Export Me", "export-me", "## World Configuration", "A described world", "Turn Limit",
        "## Agents", "Alice", "llama3.2:3b", "## Current Chat", "content of h1", "## Chat Events"}) {
    BOOST_TEST(markdown.find(needle) != std::string::npos, needle);
  }
  BOOST_TEST(r.broadcasts.empty());
}

BOOST_AUTO_TEST_CASE(export_of_missing_world_fails) {
  expect_error(run("export-world", "{}", std::string("nope")), "world_not_found",
               "Command execution failed: World 'nope' not found");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::test
