// HTTPS with a self-signed certificate made here by openssl(1), checked by
// curl and by pastebin itself.
#include <catch2/catch.hpp>

#include "tests/e2e/fixture.h"

namespace pastebin::testing {
namespace {

struct Cert {
  explicit Cert(const TempDir& dir) : cert(dir / "cert.pem"), key(dir / "key.pem") {
    ok = Run({"/usr/bin/env", "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
              key, "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext",
              "subjectAltName=IP:127.0.0.1,DNS:localhost"})
             .exit_code == 0;
  }
  std::string cert, key;
  bool ok = false;
};

TEST_CASE("pasted serves HTTPS with tls_cert and tls_key") {
  if (!HaveProgram("openssl") || !HaveProgram("curl")) SkipTest("needs openssl and curl");
  TempDir dir;
  Cert c(dir);
  REQUIRE(c.ok);
  Daemon d(dir / "data", {"--tls-cert", c.cert, "--tls-key", c.key});
  d.Start();
  REQUIRE(d.url().rfind("https://127.0.0.1:", 0) == 0);

  // curl, verifying the certificate.
  auto health = Run({"/usr/bin/env", "curl", "-sS", "--cacert", c.cert, d.url() + "/healthz"});
  CHECK(health.exit_code == 0);
  CHECK(health.out == "{\"status\":\"ok\"}");

  // pastebin, trusting the certificate through SSL_CERT_FILE.
  std::map<std::string, std::string> env = {{"HOME", dir / "home"}, {"SSL_CERT_FILE", c.cert}};
  auto put = Run({BinaryPath("pastebin"), "--server", d.url(), "put"}, "secret text\n", env);
  INFO(put.err);
  REQUIRE(put.exit_code == 0);
  CHECK(put.out.rfind("https://127.0.0.1:", 0) == 0);
  auto get = Run({BinaryPath("pastebin"), "get", put.out.substr(0, put.out.size() - 1)}, "", env);
  CHECK(get.out == "secret text\n");

  // Without trusting it, pastebin refuses to talk.
  auto untrusted =
      Run({BinaryPath("pastebin"), "--server", d.url(), "put"}, "x", {{"HOME", dir / "home"}});
  CHECK(untrusted.exit_code == 4);
  CHECK_THAT(untrusted.err, Catch::Contains("TLS handshake or certificate verification failed"));

  // Plain HTTP on the TLS port goes nowhere, and the daemon is unharmed.
  auto plain = Run({"/usr/bin/env", "curl", "-sS", "--max-time", "5",
                    "http://127.0.0.1:" + std::to_string(d.port()) + "/healthz"});
  CHECK(plain.exit_code != 0);
  CHECK(Run({"/usr/bin/env", "curl", "-sS", "--cacert", c.cert, d.url() + "/healthz"}).exit_code ==
        0);
  CHECK(d.Stop() == 0);
}

TEST_CASE("a bad TLS certificate or key stops start-up naming the file") {
  TempDir dir;
  WriteFile(dir / "bad.pem", "not a certificate\n");
  auto r = Run({BinaryPath("pasted"), "--data-dir", dir / "d", "--tls-cert", dir / "bad.pem",
                "--tls-key", dir / "bad.pem"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot load the TLS certificate " + (dir / "bad.pem") +
                                    "; tls_cert must be a PEM certificate chain"));
  auto half = Run({BinaryPath("pasted"), "--data-dir", dir / "d", "--tls-cert", dir / "bad.pem"});
  CHECK(half.exit_code == 2);
  CHECK(half.err == "pasted: error: tls_cert and tls_key go together; set both or neither\n");
}

}  // namespace
}  // namespace pastebin::testing
