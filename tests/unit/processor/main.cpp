// The processor unit test module: every tests/unit/processor/**/*_test.cpp registers its suites here.
#define BOOST_TEST_MODULE agent_world_processor_unit
#include <boost/test/unit_test.hpp>
