#include "daemon/web/web_pages.h"

#include "common/duration.h"
#include "common/time_format.h"

namespace pastebin {
namespace {

constexpr char kCss[] = R"css(
:root { color-scheme: light dark; --fg: #1d1f21; --bg: #fafafa; --muted: #6b7075;
        --line: #d8dadc; --accent: #2458b3; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e0e2e4; --bg: #16181a; --muted: #9aa0a6; --line: #33373b; --accent: #7aa7f5; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 1rem; padding: .7rem 1.2rem;
         border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1rem; margin: 0; }
header h1 a { color: inherit; text-decoration: none; }
main { padding: 1rem 1.2rem; max-width: 72rem; }
a { color: var(--accent); }
textarea { width: 100%; min-height: 60vh; padding: .6rem; font: 13px/1.4 ui-monospace, monospace;
           color: inherit; background: transparent; border: 1px solid var(--line);
           border-radius: 4px; resize: vertical; }
.bar { display: flex; flex-wrap: wrap; gap: .8rem; align-items: center; margin: .6rem 0; }
.muted { color: var(--muted); font-size: .9em; }
button, select { font: inherit; padding: .3rem .8rem; }
pre { margin: 0; padding: .8rem; overflow-x: auto; border: 1px solid var(--line);
      border-radius: 4px; font: 13px/1.4 ui-monospace, monospace; white-space: pre; tab-size: 4; }
)css";

// Progressive touches only: the pages work without it.
constexpr char kJs[] = R"js(
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var copy = document.getElementById("copy");
  var paste = document.getElementById("paste");
  if (copy && paste && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(paste.textContent).then(function () {
        copy.textContent = "copied";
        setTimeout(function () { copy.textContent = "copy"; }, 1500);
      });
    });
  }
  var text = document.getElementById("content");
  var form = document.getElementById("new");
  if (text && form) {
    text.focus();
    text.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") form.submit();
    });
  }
});
)js";

std::string Page(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" +
         HtmlEscape(title) +
         "</title>"
         "<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>"
         "<header><h1><a href=\"/\">pastebin</a></h1></header><main>" +
         body + "</main><script src=\"/static/app.js\"></script></body></html>\n";
}

std::string SizeText(int64_t bytes) {
  if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

bool WantsHtml(const HttpRequest& req) {
  return req.Header("Accept").find("text/html") != std::string_view::npos && !req.HasParam("raw");
}

void SetPageHeaders(HttpResponse& res) {
  res.SetHeader("Content-Security-Policy",
                "default-src 'none'; style-src 'self'; script-src 'self'; "
                "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  res.SetHeader("X-Frame-Options", "DENY");
  res.SetHeader("Referrer-Policy", "no-referrer");
}

void SetRawHeaders(HttpResponse& res) {
  res.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  res.SetHeader("X-Frame-Options", "DENY");
}

std::string HomePage(int64_t max_paste_bytes, int64_t default_expiry_minutes,
                     int64_t max_expiry_minutes) {
  struct Choice {
    const char* label;
    int64_t minutes;
  };
  const Choice kChoices[] = {
      {"never", 0},       {"10 minutes", 10},      {"1 hour", 60},
      {"1 day", 24 * 60}, {"1 week", 7 * 24 * 60}, {"30 days", 30 * 24 * 60}};
  std::string options;
  for (const Choice& c : kChoices) {
    if (max_expiry_minutes > 0 && (c.minutes == 0 || c.minutes > max_expiry_minutes)) continue;
    options += "<option value=\"" + FormatDuration(c.minutes) + "\"" +
               (c.minutes == default_expiry_minutes ? " selected" : "") + ">" + c.label +
               "</option>";
  }
  return Page("New paste",
              "<form id=\"new\" method=\"post\" action=\"/form\">"
              "<textarea id=\"content\" name=\"content\" required spellcheck=\"false\" "
              "aria-label=\"Paste text\" placeholder=\"Paste text here\"></textarea>"
              "<div class=\"bar\"><label>Expires <select id=\"expire\" name=\"expire\">" +
                  options +
                  "</select></label><button type=\"submit\">Create paste</button>"
                  "<span class=\"muted\">UTF-8 text up to " +
                  SizeText(max_paste_bytes) + ".</span></div></form>");
}

std::string PastePage(const StoredPaste& paste) {
  const PasteRecord& r = paste.record;
  std::string expiry =
      r.expires_at ? "expires " + FormatUtc(*r.expires_at) + " UTC" : "never expires";
  return Page("Paste " + r.shortlink,
              "<div class=\"bar\"><span class=\"muted\">created " + FormatUtc(r.created_at) +
                  " UTC · " + expiry + " · " + SizeText(r.size) +
                  "</span><a id=\"raw\" href=\"/raw/" + HtmlEscape(r.shortlink) +
                  "\">raw</a><button id=\"copy\" type=\"button\" hidden>copy</button>"
                  "<a href=\"/\">new paste</a></div><pre id=\"paste\">" +
                  HtmlEscape(paste.contents) + "</pre>");
}

std::string UsageText(const std::string& base) {
  return "pastebin: paste text and get a link back.\n\n"
         "  cmd | curl --data-binary @- " +
         base +
         "/\n"
         "  curl -F file=@notes.txt -F expire=1d " +
         base +
         "/\n"
         "  cmd | pastebin --server " +
         base +
         " put\n"
         "  curl " +
         base +
         "/Ab3dE9x        # the paste again\n\n"
         "Open " +
         base + "/ in a browser for a form. The API: see pasted(8).\n";
}

bool StaticAsset(std::string_view name, std::string_view* bytes, std::string_view* type) {
  if (name == "app.css") {
    *bytes = std::string_view(kCss, sizeof(kCss) - 1);
    *type = "text/css; charset=utf-8";
    return true;
  }
  if (name == "app.js") {
    *bytes = std::string_view(kJs, sizeof(kJs) - 1);
    *type = "text/javascript; charset=utf-8";
    return true;
  }
  return false;
}

}  // namespace pastebin
