// Retry delays (see retry_policy.h).
#include "processor/providers/retry_policy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace aw::processor::providers {
namespace {

std::string_view trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at text[pos]; false when they are not all digits.
bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil): avoids timegm, which is
// not standard C++.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::chrono::milliseconds cap(std::chrono::milliseconds d) {
  return std::clamp(d, std::chrono::milliseconds(0), kMaxRetryDelay);
}

}  // namespace

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, int retry, double jitter) {
  // 2^(retry−1) with the exponent bounded: beyond 2^20 the cap applies anyway, and this keeps the double finite.
  const double factor = std::ldexp(1.0, std::clamp(retry - 1, 0, 20)) * (1.0 + 0.2 * std::clamp(jitter, -1.0, 1.0));
  const double ms = static_cast<double>(base.count()) * factor;
  if (ms >= static_cast<double>(kMaxRetryDelay.count())) return kMaxRetryDelay;
  return cap(std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(ms))));
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (is_digit(value.front())) {
    // delay-seconds; a fraction is not in the RFC but some proxies send one, and its meaning is clear.
    double seconds = 0;
    std::size_t i = 0;
    for (; i < value.size() && is_digit(value[i]); ++i) {
      seconds = seconds * 10 + (value[i] - '0');
      if (seconds > 1e6) seconds = 1e6;  // far past the cap; stop growing
    }
    if (i < value.size() && value[i] == '.') {
      double scale = 0.1;
      for (++i; i < value.size() && is_digit(value[i]); ++i, scale /= 10) seconds += (value[i] - '0') * scale;
    }
    if (i != value.size()) return std::nullopt;
    return cap(std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000))));
  }
  auto when = parse_http_date(value);
  if (!when) return std::nullopt;
  if (*when <= now) return std::chrono::milliseconds(0);
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
  return cap(wait);
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions, 29 characters.
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  text = trim(text);
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' ||
      text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  if (std::find(kDays.begin(), kDays.end(), text.substr(0, 3)) == kDays.end()) return std::nullopt;
  auto month_it = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  if (month_it == kMonths.end()) return std::nullopt;
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, 5, 2, day) || !read_digits(text, 12, 4, year) || !read_digits(text, 17, 2, hour) ||
      !read_digits(text, 20, 2, minute) || !read_digits(text, 23, 2, second)) {
    return std::nullopt;
  }
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const unsigned month = static_cast<unsigned>(month_it - kMonths.begin()) + 1;
  const std::int64_t days = days_from_civil(year, month, static_cast<unsigned>(day));
  const std::int64_t seconds = days * 86400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace aw::processor::providers
