#include "daemon/web/page_routes.h"

#include <catch2/catch.hpp>
#include <regex>

#include "common/wire.h"
#include "daemon/pages/assets.h"
#include "daemon/pages/pages.h"
#include "tests/daemon/harness/desk_harness.h"

namespace pastebin {
namespace {

using testing::DeskHarness;
using testing::DeskOptions;

// The value of the form's selected expiry, or "" when none is selected.
std::string SelectedExpiry(const std::string& page) {
  std::smatch m;
  if (!std::regex_search(page, m, std::regex("<option value=\"([^\"]*)\" selected>"))) return "";
  return m[1];
}

// Every expiry the form offers.
std::vector<std::string> OfferedExpiries(const std::string& page) {
  std::string select = page.substr(page.find("<select id=\"expire\""));
  select = select.substr(0, select.find("</select>"));
  std::vector<std::string> out;
  std::regex option("<option value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(select.begin(), select.end(), option);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

std::string HomePageOf(DeskHarness& h) {
  return h.Serve(DeskHarness::Request("GET", "/", {{"Accept", "text/html"}})).body;
}

TEST_CASE("with max_expiry and no default_expiry, the form and the API default to the maximum") {
  DeskOptions o;
  o.limits.max_expiry_minutes = 7 * 24 * 60;
  o.limits.default_expiry_minutes = 7 * 24 * 60;  // what Daemon::Open derives from them
  DeskHarness h(o);
  std::string page = HomePageOf(h);
  CHECK(SelectedExpiry(page) == "1w");
  CHECK(OfferedExpiries(page) == std::vector<std::string>{"10m", "1h", "1d", "1w"});
  auto info = ParseServerInfo(h.Serve(DeskHarness::Request("GET", "/api/v1/info")).body);
  REQUIRE(info.ok());
  CHECK(info->default_expiry_minutes == 7 * 24 * 60);
  // What a browser posts: the selected option.
  HttpResponse created = h.Serve(
      DeskHarness::Request("POST", "/form", {{"Content-Type", "application/x-www-form-urlencoded"}},
                           "content=hi&expire=" + SelectedExpiry(page)));
  REQUIRE(created.status == 201);
  std::string link = created.body.substr(created.body.rfind('/') + 1, 7);
  CHECK((*h.pastes.Get(link))->record.expiration_length_in_minutes == 7 * 24 * 60);
}

TEST_CASE("a default expiry the form does not list is offered and chosen") {
  DeskOptions o;
  o.limits.default_expiry_minutes = 3 * 24 * 60;
  DeskHarness h(o);
  std::string page = HomePageOf(h);
  CHECK(SelectedExpiry(page) == "3d");
  CHECK(OfferedExpiries(page) ==
        std::vector<std::string>{"never", "10m", "1h", "1d", "3d", "1w", "30d"});
}

TEST_CASE("without limits the form offers never, and chooses it") {
  DeskHarness h;
  std::string page = HomePageOf(h);
  CHECK(SelectedExpiry(page) == "never");
  CHECK(page.find("UTF-8 text up to 10 MiB.") != std::string::npos);
}

TEST_CASE("a terminal asking for / gets the usage, with links on the host it asked") {
  DeskHarness h;
  HttpResponse res = h.Serve(DeskHarness::Request("GET", "/"));
  CHECK(res.status == 200);
  CHECK(res.body.find("cmd | curl --data-binary @- http://paste.test/\n") != std::string::npos);
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

using testing::DeskHarness;
using testing::DeskOptions;
using testing::HeaderOf;

// Regression: without public_url a page carries links (and a QR code) built
// on the Host asked, yet said "public": one forged Host through a shared
// cache reached every later visitor.
TEST_CASE("a page built on the Host asked is private to caches, one built on public_url public") {
  for (std::string public_url : {"", "https://paste.example.org"}) {
    INFO(public_url);
    DeskOptions o;
    o.public_url = public_url;
    DeskHarness h(o);
    std::string link = h.Put("hello");
    auto forged = DeskHarness::Request("GET", "/" + link, {{"Accept", "text/html"}});
    forged.authority = "evil.example";
    HttpResponse page = h.Serve(forged);
    REQUIRE(page.status == 200);
    if (public_url.empty()) {
      // Its QR code holds the forged host: this client's alone.
      CHECK(HeaderOf(page, "Cache-Control") == "private, max-age=3600, immutable");
    } else {
      CHECK(HeaderOf(page, "Cache-Control") == "public, max-age=3600, immutable");
    }
    // Raw bytes hold no link: shareable either way.
    HttpResponse raw = h.Serve(DeskHarness::Request("GET", "/" + link));
    CHECK(HeaderOf(raw, "Cache-Control") == "public, max-age=3600, immutable");
  }
}

// The text of a page between <code> and </code>, its blocks' markup out.
std::string Unblocked(std::string html) {
  html = html.substr(html.find("<code>") + 6);
  html = html.substr(0, html.find("</code>"));
  for (const std::string tag : {"<span class=\"c\">", "</span>"}) {
    for (size_t at; (at = html.find(tag)) != std::string::npos;) html.erase(at, tag.size());
  }
  return html;
}

TEST_CASE("a long paste's page is in blocks of 500 lines, side by side with its numbers") {
  DeskHarness h;
  std::string text;
  for (int i = 1; i <= 1201; ++i) text += "line " + std::to_string(i) + (i == 1201 ? "" : "\n");
  std::string link = h.Put(text);
  std::string page =
      h.Serve(DeskHarness::Request("GET", "/" + link, {{"Accept", "text/html"}})).body;
  std::string code = page.substr(page.find("<pre id=\"paste\""));
  code = code.substr(0, code.find("</pre>"));
  std::string gutter = page.substr(page.find("<pre class=\"gutter"));
  gutter = gutter.substr(0, gutter.find("</pre>"));
  auto count = [](const std::string& in, const std::string& what) {
    size_t n = 0;
    for (size_t at = 0; (at = in.find(what, at)) != std::string::npos; at += what.size()) ++n;
    return n;
  };
  CHECK(count(code, "<span class=\"c\">") == 3);  // 500, 500, 201
  CHECK(count(gutter, "<span class=\"c\">") == 3);
  CHECK(Unblocked(page) == text);  // the text is all there, in order
  CHECK_THAT(code, Catch::Contains("line 500\n</span><span class=\"c\">line 501\n"));
  CHECK_THAT(gutter, Catch::Contains("<span id=\"L500\">500</span>\n</span><span class=\"c\">"
                                     "<span id=\"L501\">501</span>"));
  // The gutter is as wide as four digits from the start.
  CHECK_THAT(gutter, Catch::StartsWith("<pre class=\"gutter d4\">"));
  // A short one is one block, as before.
  std::string small =
      h.Serve(DeskHarness::Request("GET", "/" + h.Put("a\nb\n"), {{"Accept", "text/html"}})).body;
  CHECK(small.find("class=\"c\"") == std::string::npos);
  CHECK_THAT(small, Catch::Contains("<pre class=\"gutter d1\"><span id=\"L1\">1</span>"));
  CHECK(Unblocked(small) == "a\nb\n");
}

// app.js lays out an opened encrypted paste, and makes a page's plain
// numbers anchors, by the page's own numbers: its constants must be
// pages.h's.
TEST_CASE("app.js lays out lines in the blocks, anchors and numbers of the server's pages") {
  std::string_view js, type;
  REQUIRE(StaticAsset("app.js", &js, &type));
  auto constant = [&](const std::string& name) -> long {
    std::match_results<std::string_view::const_iterator> m;
    std::regex assigned("\\b" + name + " = ([0-9]+)[,;]");
    if (!std::regex_search(js.begin(), js.end(), m, assigned)) return -1;
    return std::stol(m[1]);
  };
  CHECK(constant("kBlockLines") == static_cast<long>(kChunkLines));
  CHECK(constant("kAnchored") == static_cast<long>(kAnchoredLines));
  CHECK(constant("kNumbered") == static_cast<long>(kNumberedLines));
  // What app.js makes anchors past the page's own, a whole number of blocks.
  long anchor_max = constant("kAnchorMax");
  CHECK(anchor_max > static_cast<long>(kAnchoredLines));
  CHECK(anchor_max % static_cast<long>(kChunkLines) == 0);
}

}  // namespace
}  // namespace pastebin
