// Tests of bench/lib/proc_status (reads the real /proc).
#include "bench/lib/proc_status.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>

namespace aw::bench {
namespace {

BOOST_AUTO_TEST_SUITE(proc_status)

BOOST_AUTO_TEST_CASE(reads_own_resident_set) {
  auto rss = read_vm_rss_kib(::getpid());
  BOOST_REQUIRE_MESSAGE(rss.is_ok(), rss.status().message());
  // A running test binary with Boost.Test loaded is well above 100 KiB and far below 100 GiB.
  BOOST_TEST(rss.value() > 100);
  BOOST_TEST(rss.value() < 100LL * 1024 * 1024);
}

BOOST_AUTO_TEST_CASE(missing_process_is_an_error) {
  // Above the kernel's pid_max limit (at most 2^22), so no such process can exist.
  auto rss = read_vm_rss_kib(std::int64_t{1} << 30);
  BOOST_TEST(!rss.is_ok());
  BOOST_TEST(rss.status().code() == "not_found");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::bench
