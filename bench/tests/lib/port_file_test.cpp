// Tests of bench/lib/port_file.
#include "bench/lib/port_file.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>

namespace aw::bench {
namespace {

struct TempDir {
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "aw-bench-test.XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path path;
};

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

BOOST_FIXTURE_TEST_SUITE(port_file, TempDir)

BOOST_AUTO_TEST_CASE(writes_port_and_newline_without_leftovers) {
  const auto file = path / "port";
  BOOST_REQUIRE(write_port_file(file.string(), 54321).is_ok());
  BOOST_TEST(read_all(file) == "54321\n");
  BOOST_TEST(!std::filesystem::exists(path / "port.tmp"));
}

BOOST_AUTO_TEST_CASE(replaces_an_existing_file) {
  const auto file = path / "port";
  BOOST_REQUIRE(write_port_file(file.string(), 1).is_ok());
  BOOST_REQUIRE(write_port_file(file.string(), 65535).is_ok());
  BOOST_TEST(read_all(file) == "65535\n");
}

BOOST_AUTO_TEST_CASE(unwritable_directory_is_an_error) {
  const Status s = write_port_file((path / "no-such-dir" / "port").string(), 1);
  BOOST_TEST(!s.is_ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::bench
