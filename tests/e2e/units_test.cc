// The shipped systemd units, installed by cmake --install, pass
// systemd-analyze verify.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <regex>

#include "tests/support/data_dir.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

TEST_CASE("installed systemd units pass systemd-analyze verify and security") {
  if (!HaveProgram("systemd-analyze")) {
    SkipTest("systemd-analyze is not installed (Debian package systemd)");
  }
  TempDir prefix;
  auto install =
      Run({"/usr/bin/env", "cmake", "--install", PASTEBIN_BUILD_DIR, "--prefix", prefix.path()});
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  // Shell completion where each shell looks (bash-completion's
  // completionsdir, as its pkg-config file names it, under the prefix).
  std::string completion = std::string(PASTEBIN_SOURCE_DIR) + "/completions/";
  std::string bash_dir = prefix / "share/bash-completion/completions/";
  CHECK(ReadFile(bash_dir + "pastebin") == ReadFile(completion + "pastebin.bash"));
  CHECK(ReadFile(bash_dir + "pasted") == ReadFile(completion + "pastebin.bash"));
  CHECK(ReadFile(prefix / "share/zsh/vendor-completions/_pastebin") ==
        ReadFile(completion + "_pastebin"));
  CHECK(ReadFile(prefix / "share/fish/vendor_completions.d/pastebin.fish") ==
        ReadFile(completion + "pastebin.fish"));
  CHECK(ReadFile(prefix / "share/fish/vendor_completions.d/pasted.fish") ==
        ReadFile(completion + "pasted.fish"));
  std::string units = prefix / "lib/systemd/system";
  std::string service = ReadFile(units + "/pastebin-gc.service");
  CHECK_THAT(service, Catch::Contains("ExecStart=" + (prefix / "bin/pastebin") + " gc"));
  // gc is an admin route: both ways of running it bring pasted's token.
  CHECK_THAT(service, Catch::Contains("Environment=PASTEBIN_ADMIN_TOKEN_FILE=%d/admin-token"));
  CHECK_THAT(service, Catch::Contains("EnvironmentFile=-" + (prefix / "etc/default/pastebin-gc")));
  std::string cron = ReadFile(prefix / "share/doc/pastebin/examples/pastebin-gc.cron");
  CHECK_THAT(cron,
             Catch::Contains("*/15   * *   *   *   root   " + (prefix / "bin/pastebin") + " gc"));
  CHECK_THAT(cron, Catch::Contains("\nPASTEBIN_ADMIN_TOKEN_FILE=/var/lib/pasted/admin.token\n"));
  std::string pasted = ReadFile(units + "/pasted.service");
  CHECK_THAT(pasted,
             Catch::Contains("ExecStart=" + (prefix / "bin/pasted") + " --config " +
                             (prefix / "etc/pasted.conf") + " --data-dir ${STATE_DIRECTORY}"));
  CHECK_THAT(pasted, Catch::Contains("Type=notify"));
  // The installed example config is one pasted accepts.
  auto check = Run({prefix / "bin/pasted", "--config", prefix / "etc/pasted.conf", "--data-dir",
                    prefix / "data", "--version"});
  CHECK(check.exit_code == 0);
  auto verify =
      Run({"/usr/bin/env", "systemd-analyze", "verify", "--man=no", units + "/pastebin-gc.service",
           units + "/pastebin-gc.timer", units + "/pasted.service", units + "/pasted.socket"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  CHECK(verify.err.empty());
  // The per-user unit, as systemd --user would load it.
  TempDir runtime;
  auto user = Run({"/usr/bin/env", "systemd-analyze", "--user", "verify", "--man=no",
                   prefix / "lib/systemd/user/pasted.service"},
                  "", {{"XDG_RUNTIME_DIR", runtime.path()}});
  INFO(user.out << user.err);
  CHECK(user.exit_code == 0);
  CHECK(user.err.empty());

  // Hardened well: systemd-analyze rates pasted.service's exposure.
  auto security = Run({"/usr/bin/env", "systemd-analyze", "security", "--offline=true",
                       "--threshold=20", units + "/pasted.service"});
  INFO(security.out << security.err);
  CHECK(security.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(
      security.out, m, std::regex(R"(Overall exposure level for pasted\.service: ([0-9.]+))")));
  CHECK(std::stod(m[1]) <= 2.0);
}

// Installs into a fresh prefix; the path of what it installed.
std::string Install(const TempDir& prefix) {
  auto install =
      Run({"/usr/bin/env", "cmake", "--install", PASTEBIN_BUILD_DIR, "--prefix", prefix.path()});
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  return prefix.path();
}

// Runs the installed generator on config; the drop-ins it wrote, by path
// under its output directory.
std::map<std::string, std::string> Generate(const std::string& prefix, const std::string& config,
                                            const TempDir& out) {
  auto r = Run({prefix + "/lib/systemd/system-generators/pasted-generator", out.path(),
                out / "early", out / "late"},
               "", {{"PASTED_CONFIG", config}});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> files;
  for (const std::string& f : ListFiles(out.path())) files[f] = ReadFile(out / f);
  return files;
}

TEST_CASE("the units take their address from pasted.conf through the generator") {
  TempDir prefix, dir;
  std::string installed = Install(prefix);
  SECTION("listen on all addresses, a token file") {
    WriteFile(dir / "pasted.conf",
              "# ours\nlisten = 0.0.0.0:9191\n  admin_token_file = \"/etc/pasted/token\"\n");
    TempDir out;
    auto files = Generate(installed, dir / "pasted.conf", out);
    CHECK(files["pasted.socket.d/listen.conf"] ==
          "# Written by pasted-generator from " + (dir / "pasted.conf") +
              ".\n[Socket]\nListenStream=\nListenStream=0.0.0.0:9191\n");
    CHECK(files["pastebin-gc.service.d/server.conf"] ==
          "# Written by pasted-generator from " + (dir / "pasted.conf") +
              ".\n[Service]\nEnvironment=\"PASTEBIN_SERVER=http://127.0.0.1:9191\"\n"
              "LoadCredential=admin-token:/etc/pasted/token\n");
    if (HaveProgram("systemd-analyze")) {
      // The units with the drop-ins are still valid units.
      std::filesystem::copy(installed + "/lib/systemd/system", out.path(),
                            std::filesystem::copy_options::recursive |
                                std::filesystem::copy_options::overwrite_existing);
      auto verify = Run({"/usr/bin/env", "systemd-analyze", "verify", "--man=no",
                         out / "pasted.socket", out / "pastebin-gc.service"},
                        "", {{"SYSTEMD_UNIT_PATH", out.path() + ":"}});
      INFO(verify.out << verify.err);
      CHECK(verify.exit_code == 0);
      CHECK(verify.err.empty());
    }
  }
  SECTION("a Unix socket: the socket's path, and gc goes there") {
    WriteFile(dir / "pasted.conf", "listen = unix:/run/pasted/http.sock\n");
    TempDir out;
    auto files = Generate(installed, dir / "pasted.conf", out);
    CHECK_THAT(files["pasted.socket.d/listen.conf"],
               Catch::EndsWith("ListenStream=\nListenStream=/run/pasted/http.sock\n"));
    CHECK_THAT(files["pastebin-gc.service.d/server.conf"],
               Catch::Contains("Environment=\"PASTEBIN_SERVER=unix:/run/pasted/http.sock\"\n"));
    CHECK_THAT(files["pastebin-gc.service.d/server.conf"],
               Catch::Contains("LoadCredential=admin-token:/var/lib/pasted/admin.token\n"));
  }
  // Regression: values went into the units verbatim: a CR in a value
  // injected a directive of its own (ExecStartPre=+...), and a '%' made
  // systemd drop the line.
  SECTION("a value that would inject a directive is refused, and % is doubled") {
    WriteFile(dir / "pasted.conf",
              "listen = 127.0.0.1:8077\rExecStartPre=+/bin/touch /tmp/owned\n"
              "admin_token_file = /etc/pasted/100%token\n");
    TempDir out;
    auto r = Run({installed + "/lib/systemd/system-generators/pasted-generator", out.path(),
                  out / "early", out / "late"},
                 "", {{"PASTED_CONFIG", dir / "pasted.conf"}});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("listen holds a control character, a quote or a backslash"));
    std::string all;
    for (const std::string& f : ListFiles(out.path())) all += ReadFile(out / f);
    CHECK(all.find("ExecStartPre") == std::string::npos);
    CHECK(all.find('\r') == std::string::npos);
    CHECK(access((out / "pasted.socket.d/listen.conf").c_str(), F_OK) != 0);
    CHECK_THAT(all, Catch::Contains("LoadCredential=admin-token:/etc/pasted/100%%token\n"));
  }
  SECTION("no listen: the units' default address stands") {
    WriteFile(dir / "pasted.conf", "max_paste_bytes = 1M\n");
    TempDir out;
    auto files = Generate(installed, dir / "pasted.conf", out);
    CHECK(files.count("pasted.socket.d/listen.conf") == 0);
    CHECK(files.count("pastebin-gc.service.d/server.conf") == 1);
  }
  SECTION("the server gc is given is the one pasted serves on") {
    int port = FreeLoopbackPort();
    std::string listen = "127.0.0.1:" + std::to_string(port);
    WriteFile(dir / "pasted.conf", "listen = " + listen + "\n");
    Daemon daemon(dir / "data", {"--config", dir / "pasted.conf", "--listen", listen});
    daemon.Start();
    TempDir out;
    auto files = Generate(installed, dir / "pasted.conf", out);
    std::smatch m;
    std::string conf = files["pastebin-gc.service.d/server.conf"];
    REQUIRE(std::regex_search(conf, m, std::regex("Environment=\"PASTEBIN_SERVER=([^\"]+)\"")));
    auto gc = Run({installed + "/bin/pastebin", "gc"}, "",
                  {{"PASTEBIN_SERVER", m[1]},
                   {"PASTEBIN_ADMIN_TOKEN_FILE", dir / "data/admin.token"},
                   {"HOME", dir.path()}});
    INFO(gc.err);
    CHECK(gc.exit_code == 0);
    CHECK_THAT(gc.out, Catch::StartsWith("deleted 0 expired pastes"));
  }
  SECTION("over a Unix socket, gc proves it holds the token and never sends it") {
    std::string sock = dir / "http.sock";
    chmod(dir.path().c_str(), 0711);  // another user reaches the socket
    WriteFile(dir / "pasted.conf", "listen = unix:" + sock + "\n");
    Daemon daemon(dir / "data", {"--config", dir / "pasted.conf", "--listen", "unix:" + sock});
    daemon.Start();
    TempDir out;
    auto files = Generate(installed, dir / "pasted.conf", out);
    std::smatch m;
    std::string conf = files["pastebin-gc.service.d/server.conf"];
    REQUIRE(std::regex_search(conf, m, std::regex("Environment=\"PASTEBIN_SERVER=([^\"]+)\"")));
    CHECK(m[1] == "unix:" + sock);
    // As another user (the unit's DynamicUser): admin only by the proof.
    auto gc = Run({"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                   installed + "/bin/pastebin", "gc"},
                  "",
                  {{"PASTEBIN_SERVER", m[1]},
                   {"PASTEBIN_ADMIN_TOKEN", ReadFile(dir / "data/admin.token").substr(0, 32)},
                   {"HOME", "/nonexistent"}});
    INFO(gc.err);
    CHECK(gc.exit_code == 0);
    CHECK_THAT(gc.out, Catch::StartsWith("deleted 0 expired pastes"));
    CHECK(ReadFile(dir / "data/access.log").find("admin-token") == std::string::npos);
  }
}

TEST_CASE("the per-user unit starts pasted where pastebin looks, with the user's config") {
  TempDir prefix, home;
  std::string installed = Install(prefix);
  std::string unit = ReadFile(installed + "/lib/systemd/user/pasted.service");
  std::smatch m;
  REQUIRE(std::regex_search(unit, m, std::regex("\nExecStart=/bin/sh -c '(.*)'\n")));
  // What systemd runs: %E is $XDG_CONFIG_HOME, %t $XDG_RUNTIME_DIR, $$ a
  // dollar sign.
  std::string command = std::regex_replace(m[1].str(), std::regex("%E"), home / ".config");
  command = std::regex_replace(command, std::regex("%t"), home / "run");
  command = std::regex_replace(command, std::regex("\\$\\$"), "$");
  std::filesystem::create_directories(home / "run");
  std::filesystem::permissions(home / "run", std::filesystem::perms::owner_all);
  int port = FreeLoopbackPort();
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  std::filesystem::create_directories(home / ".config/pastebin");
  WriteFile(home / ".config/pastebin/pasted.conf",
            "listen = 127.0.0.1:" + std::to_string(port) + "\n");
  // Started as systemd would, asked for its status as a user would, stopped.
  auto r =
      Run({"/bin/sh", "-c",
           "(" + command +
               ") 2>\"$HOME/log\" & pid=$!; "
               "for i in $(seq 100); do curl -sf \"$1/healthz\" >/dev/null && break; sleep 0.1; "
               "done; \"$2\" daemon status; echo hi | \"$2\" put >/dev/null && echo put; "
               "kill $pid; wait $pid",
           "sh", url, installed + "/bin/pastebin"},
          "", {{"HOME", home.path()}, {"XDG_RUNTIME_DIR", home / "run"}});
  INFO(r.err << ReadFile(home / "log"));
  CHECK(r.exit_code == 0);
  // The data dir an autostarted pasted would use.
  CHECK_THAT(r.out, Catch::Contains("running"));
  CHECK_THAT(r.out, Catch::Contains(url));
  CHECK(access((home / ".local/share/pastebin/pastes.db").c_str(), F_OK) == 0);
  // pastebin reached it through the private socket where it looks for it.
  CHECK_THAT(r.out, Catch::EndsWith("put\n"));
  CHECK_THAT(ReadFile(home / "log"), Catch::Contains("serving pasted's own user on unix:" +
                                                     (home / "run/pastebin/pasted.sock")));
}

}  // namespace
}  // namespace pastebin::testing
