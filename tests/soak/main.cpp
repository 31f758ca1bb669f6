// The soak suite's module (issue #7): CTest label "soak", never part of the README's test command or CI.
#define BOOST_TEST_MODULE aw_soak_tests
#include <boost/test/unit_test.hpp>
