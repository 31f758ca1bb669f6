// The bench test module: unit tests of bench/lib and end-to-end tests of the bench programs (real processes,
// real loopback sockets). Built and registered with ctest only when AW_BUILD_BENCH is on.
#define BOOST_TEST_MODULE agent_world_bench
#include <boost/test/unit_test.hpp>
