// JwtVerifier (ws-protocol.md §3.2): good tokens, and one refusal per rule, each with its reason and text.
#include <boost/test/unit_test.hpp>

#include "gateway/session/jwt_authenticator.h"
#include "gateway/session/jwt_verifier.h"
#include "tests/support/jwt_mint.h"

namespace aw::gateway {
namespace {

using aw::test::base64url_encode;
using aw::test::kTestJwtSecret;
using aw::test::mint_jwt;
using aw::test::sign_jwt;

constexpr EpochMs kNow = 1'800'000'000'000;  // ms
constexpr std::int64_t kNowS = kNow / 1000;

JwtSettings settings(std::string issuer = "", std::string audience = "") {
  JwtSettings s;
  s.secret = kTestJwtSecret;
  s.issuer = std::move(issuer);
  s.audience = std::move(audience);
  return s;
}

std::string claims(std::int64_t exp_s, const std::string& extra = "") {
  return R"({"sub":"u1","exp":)" + std::to_string(exp_s) + extra + "}";
}

// The reason (Status code) of a refusal, "ok" for a success.
std::string reason_of(const JwtVerifier& v, const std::string& token, EpochMs now = kNow) {
  auto r = v.verify(token, now);
  return r.is_ok() ? std::string("ok") : r.status().code();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jwt_verifier)

BOOST_AUTO_TEST_CASE(a_good_token_gives_its_claims_with_defaults) {
  const JwtVerifier v(settings());
  auto full = v.verify(mint_jwt(claims(kNowS + 60, R"(,"role":"writer","worlds":["w1","My World"])")), kNow);
  BOOST_REQUIRE(full.is_ok());
  BOOST_TEST(full->subject == "u1");
  BOOST_TEST(full->role == "writer");
  BOOST_REQUIRE(full->worlds.size() == 2u);
  BOOST_TEST(full->worlds[0] == "w1");
  BOOST_TEST(full->worlds[1] == "my-world");  // compared in canonical form, like frames
  BOOST_TEST(full->expires_at == (kNowS + 60) * 1000);

  auto bare = v.verify(mint_jwt(R"({"exp":)" + std::to_string(kNowS + 60) + "}"), kNow);
  BOOST_REQUIRE(bare.is_ok());
  BOOST_TEST(bare->subject.empty());
  BOOST_TEST(bare->role == "reader");
  BOOST_TEST(bare->worlds.empty());
  auto star = v.verify(mint_jwt(claims(kNowS + 60, R"(,"role":"admin","worlds":["*"])")), kNow);
  BOOST_REQUIRE(star.is_ok());
  BOOST_TEST(star->worlds.at(0) == "*");
}

BOOST_AUTO_TEST_CASE(a_bad_signature_is_refused) {
  const JwtVerifier v(settings());
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60), "another-secret-of-at-least-32-bytes!!")) == "bad_signature");
  std::string token = mint_jwt(claims(kNowS + 60));
  // Flip one character of the signature (to another letter that keeps the base64url canonical).
  token[token.size() - 2] = token[token.size() - 2] == 'A' ? 'B' : 'A';
  BOOST_TEST(reason_of(v, token) == "bad_signature");
  const std::string unsigned_token = token.substr(0, token.rfind('.') + 1);
  BOOST_TEST(reason_of(v, unsigned_token) == "bad_signature");
  // A signature of the right input but truncated.
  std::string good = mint_jwt(claims(kNowS + 60));
  BOOST_TEST(reason_of(v, good.substr(0, good.size() - 4)) == "bad_signature");
  auto r = v.verify(token, kNow);
  BOOST_TEST(r.status().message() == "Invalid token");
}

BOOST_AUTO_TEST_CASE(algorithms_other_than_hs256_are_refused) {
  const JwtVerifier v(settings());
  // Even with a valid HMAC over the input, the header decides: HS512, RS256, none, lowercase, missing.
  for (const char* header : {R"({"alg":"HS512"})", R"({"alg":"RS256"})", R"({"alg":"none"})", R"({"alg":"hs256"})",
                             R"({"typ":"JWT"})", R"({"alg":256})"}) {
    BOOST_TEST(reason_of(v, sign_jwt(header, claims(kNowS + 60))) == "algorithm", header);
  }
  // The classic alg:none token: no signature at all.
  const std::string none = base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(claims(kNowS + 60)) + ".";
  BOOST_TEST(reason_of(v, none) == "algorithm");
  // An extension the verifier does not understand.
  BOOST_TEST(reason_of(v, sign_jwt(R"({"alg":"HS256","crit":["b64"]})", claims(kNowS + 60))) == "algorithm");
}

BOOST_AUTO_TEST_CASE(exp_is_required_and_checked_with_30s_leeway) {
  const JwtVerifier v(settings());
  BOOST_TEST(reason_of(v, mint_jwt(R"({"sub":"u1"})")) == "claims");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS - 3600))) == "expired");
  BOOST_TEST(v.verify(mint_jwt(claims(kNowS - 3600)), kNow).status().message() == "Token expired");
  // Leeway edges: exp + 30 s is the first refused instant.
  const std::string t = mint_jwt(claims(kNowS));
  BOOST_TEST(reason_of(v, t, kNow + 29'999) == "ok");
  BOOST_TEST(reason_of(v, t, kNow + 30'000) == "expired");
  // Mistyped or absurd exp values.
  BOOST_TEST(reason_of(v, mint_jwt(R"({"exp":"soon"})")) == "claims");
  BOOST_TEST(reason_of(v, mint_jwt(R"({"exp":-5})")) == "claims");
  BOOST_TEST(reason_of(v, mint_jwt(R"({"exp":1e300})")) == "claims");
  // A fractional NumericDate is allowed.
  BOOST_TEST(reason_of(v, mint_jwt(R"({"exp":)" + std::to_string(kNowS + 10) + ".5}")) == "ok");
}

BOOST_AUTO_TEST_CASE(nbf_is_checked_with_30s_leeway) {
  const JwtVerifier v(settings());
  const std::string t = mint_jwt(claims(kNowS + 3600, R"(,"nbf":)" + std::to_string(kNowS + 60)));
  BOOST_TEST(reason_of(v, t) == "not_yet_valid");
  BOOST_TEST(v.verify(t, kNow).status().message() == "Invalid token");
  BOOST_TEST(reason_of(v, t, kNow + 29'999) == "not_yet_valid");  // nbf - 30 s is the first accepted instant
  BOOST_TEST(reason_of(v, t, kNow + 30'000) == "ok");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, R"(,"nbf":"now")"))) == "claims");
}

BOOST_AUTO_TEST_CASE(malformed_tokens_are_invalid) {
  const JwtVerifier v(settings());
  const std::string good = mint_jwt(claims(kNowS + 60));
  const std::size_t dot = good.find('.');
  for (const std::string& token :
       {std::string(), std::string("abc"), std::string("a.b"), good + ".x", "." + good.substr(dot + 1),
        good.substr(0, dot) + ".." + good.substr(good.rfind('.') + 1), "*" + good.substr(1)}) {
    BOOST_TEST(reason_of(v, token) == "malformed", token);
  }
  // Header that is not JSON, or not an object.
  BOOST_TEST(reason_of(v, sign_jwt("not json", claims(kNowS + 60))) == "malformed");
  BOOST_TEST(reason_of(v, sign_jwt("[1]", claims(kNowS + 60))) == "malformed");
  // Payload that is not JSON, or not an object (validly signed).
  BOOST_TEST(reason_of(v, mint_jwt("{\"exp\":")) == "malformed");
  BOOST_TEST(reason_of(v, mint_jwt("42")) == "malformed");
  // Standard base64 characters and padding are not base64url.
  std::string padded = good;
  padded.insert(dot, "=");
  BOOST_TEST(reason_of(v, padded) == "malformed");
  std::string plus = good;
  plus[1] = '+';
  BOOST_TEST(reason_of(v, plus) == "malformed");
}

BOOST_AUTO_TEST_CASE(base64url_decoding_is_strict) {
  BOOST_TEST(base64url_decode_strict("").value_or("?") == "");
  BOOST_TEST(base64url_decode_strict("YQ").value_or("?") == "a");
  BOOST_TEST(base64url_decode_strict("YWI").value_or("?") == "ab");
  BOOST_TEST(base64url_decode_strict("YWJj").value_or("?") == "abc");
  BOOST_TEST(base64url_decode_strict("-_8").value_or("?") == std::string("\xfb\xff", 2));
  BOOST_TEST(!base64url_decode_strict("YR").has_value());    // non-zero unused bits: not canonical
  BOOST_TEST(!base64url_decode_strict("Y").has_value());     // impossible length
  BOOST_TEST(!base64url_decode_strict("YQ==").has_value());  // padding
  BOOST_TEST(!base64url_decode_strict("Y+8").has_value());   // standard alphabet
  BOOST_TEST(!base64url_decode_strict("YW J").has_value());
}

BOOST_AUTO_TEST_CASE(mistyped_claims_are_invalid) {
  const JwtVerifier v(settings());
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, R"(,"role":"root")"))) == "claims");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, R"(,"role":1)"))) == "claims");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, R"(,"worlds":"w1")"))) == "claims");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, R"(,"worlds":[1])"))) == "claims");
  BOOST_TEST(reason_of(v, mint_jwt(R"({"sub":7,"exp":)" + std::to_string(kNowS + 60) + "}")) == "claims");
}

BOOST_AUTO_TEST_CASE(issuer_and_audience_are_checked_when_configured) {
  const JwtVerifier v(settings("https://issuer.example", "agent-world"));
  const std::string both = R"(,"iss":"https://issuer.example","aud":"agent-world")";
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, both))) == "ok");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60,
                                          R"(,"iss":"https://issuer.example","aud":["x","agent-world"])"))) == "ok");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, R"(,"aud":"agent-world")"))) == "issuer");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, R"(,"iss":"evil","aud":"agent-world")"))) == "issuer");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, R"(,"iss":"https://issuer.example")"))) == "audience");
  BOOST_TEST(reason_of(v, mint_jwt(claims(kNowS + 60, R"(,"iss":"https://issuer.example","aud":["x"])"))) ==
             "audience");
  // Not configured: not checked.
  const JwtVerifier open(settings());
  BOOST_TEST(reason_of(open, mint_jwt(claims(kNowS + 60, R"(,"iss":"anyone","aud":"anything")"))) == "ok");
}

BOOST_AUTO_TEST_CASE(a_token_from_the_documented_openssl_one_liner_verifies) {
  // Minted by the docs/security.md recipe (also tests/fuzz/corpus/jwt_verifier/valid.jwt), exp 1900000000.
  JwtSettings s;
  s.secret = "fuzz-secret-0123456789-abcdefghijklmnop";
  const JwtVerifier v(s);
  auto claims = v.verify(
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsInJvbGUiOiJ3cml0ZXIiLCJ3b3JsZHMiOlsidzEiLCIqIl0sImV4cCI6MT"
      "kwMDAwMDAwMH0._VqdjTPpW79U8lBU-ABQHHGyx1WSZnqgBh1mO47Vrtw",
      kNow);
  BOOST_REQUIRE(claims.is_ok());
  BOOST_TEST(claims->subject == "u1");
  BOOST_TEST(claims->role == "writer");
  BOOST_TEST(claims->worlds.size() == 2u);
}

BOOST_AUTO_TEST_CASE(the_authenticator_maps_claims_to_a_principal) {
  const JwtAuthenticator auth(settings());
  BOOST_TEST(auth.is_required());
  const Principal anon = auth.anonymous();
  BOOST_TEST(!anon.authenticated);
  BOOST_TEST(!anon.may_access_world("w1"));
  auto p = auth.authenticate(mint_jwt(claims(kNowS + 60, R"(,"role":"admin","worlds":["w1"])")), kNow);
  BOOST_REQUIRE(p.is_ok());
  BOOST_TEST(p->authenticated);
  BOOST_TEST(p->subject == "u1");
  BOOST_TEST(p->role == "admin");
  BOOST_TEST(p->may_access_world("w1"));
  BOOST_TEST(!p->may_access_world("w2"));
  BOOST_TEST(p->expires_at.value_or(0) == (kNowS + 60) * 1000);
  auto bad = auth.authenticate("garbage", kNow);
  BOOST_TEST(!bad.is_ok());
  BOOST_TEST(bad.status().message() == "Invalid token");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
