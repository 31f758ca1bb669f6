// The unit test module: every tests/unit/**/*_test.cpp registers its suites here.
#define BOOST_TEST_MODULE agent_world_unit
#include <boost/test/unit_test.hpp>
