#include "daemon/web/web_pages.h"

#include <algorithm>
#include <map>

#include "common/duration.h"
#include "common/qr.h"
#include "common/sealed.h"
#include "common/time_format.h"
#include "daemon/store/body_codec.h"

namespace pastebin {

// highlight.js and its styles, compiled in (generated/highlight_assets.cc).
extern const char kHighlightJs[];
extern const char kHighlightCss[];

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
#qr svg { display: block; margin: .4rem 0; }
.note { padding: .6rem .8rem; border: 1px solid var(--line); border-radius: 4px; margin: .6rem 0; }
code { font: 13px/1.4 ui-monospace, monospace; overflow-wrap: anywhere; }
button, select { font: inherit; padding: .3rem .8rem; }
pre { margin: 0; padding: .8rem; overflow-x: auto; border: 1px solid var(--line);
      border-radius: 4px; font: 13px/1.4 ui-monospace, monospace; white-space: pre; tab-size: 4; }
.code { display: flex; position: relative; align-items: flex-start; }
.code pre#paste { flex: 1; min-width: 0; border-top-left-radius: 0; border-bottom-left-radius: 0; }
.code pre#paste code { background: transparent; padding: 0; }
pre.gutter { color: var(--muted); text-align: right; user-select: none; border-right: 0;
             border-top-right-radius: 0; border-bottom-right-radius: 0; padding-right: .5rem; }
pre.gutter a { color: inherit; text-decoration: none; }
pre.gutter a:target, pre.gutter a.hl { color: var(--accent); font-weight: bold; }
.band { position: absolute; left: 0; right: 0; pointer-events: none;
        background: rgba(255, 200, 0, .18); }
.code.wrap pre#paste { white-space: pre-wrap; overflow-wrap: anywhere; }
.code.wrap pre.gutter { display: none; }
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
  // Highlighting: the language the page names (a link's .py, ?lang=, the
  // creator's choice), else highlight.js guesses.
  var code = paste && paste.querySelector("code");
  function highlight() {
    if (!code || !window.hljs || !code.textContent) return;
    var lang = paste.getAttribute("data-lang");
    var source = code.textContent;
    var out = lang && hljs.getLanguage(lang) ? hljs.highlight(lang, source, true)
                                             : hljs.highlightAuto(source);
    code.innerHTML = out.value;
    code.classList.add("hljs");
    paste.setAttribute("data-shown-as", out.language || "");
  }
  highlight();
  // An encrypted paste: opened here with the key in the link's fragment
  // (and a password when it has one); nothing of it goes back to the server.
  var sealed = document.getElementById("sealed");
  function fromB64(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function unseal(password) {
    var note = document.getElementById("encrypted");
    var parts = sealed.textContent.trim().split(":");
    var key = location.hash.slice(1);
    if (!/^[A-Za-z0-9_-]{43}$/.test(key)) {
      note.textContent += " This link has no key.";
      return;
    }
    if (!window.crypto || !crypto.subtle) {
      note.textContent += " This browser cannot decrypt here (WebCrypto needs https).";
      return;
    }
    var raw = fromB64(key), data = fromB64(parts[4]);
    var aes = Promise.resolve(raw);
    if (parts[3]) {
      aes = crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false,
                                    ["deriveBits"]).then(function (pw) {
        return crypto.subtle.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: fromB64(parts[3]),
                                         iterations: +parts[2]}, pw, 256);
      }).then(function (bits) {
        var both = new Uint8Array(64);
        both.set(raw);
        both.set(new Uint8Array(bits), 32);
        return crypto.subtle.digest("SHA-256", both);
      });
    }
    aes.then(function (k) {
      return crypto.subtle.importKey("raw", k, "AES-GCM", false, ["decrypt"]);
    }).then(function (k) {
      return crypto.subtle.decrypt({name: "AES-GCM", iv: data.slice(0, 12)}, k, data.slice(12));
    }).then(function (plain) {
      var text = new TextDecoder("utf-8", {fatal: true}).decode(plain);
      code.textContent = text;
      var lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
      var gutter = document.querySelector("pre.gutter"), html = "";
      for (var n = 1; n <= Math.max(lines, 1); n++) {
        html += '<a id="L' + n + '" href="#L' + n + '">' + n + "</a>\n";
      }
      gutter.innerHTML = html;
      document.getElementById("unlock").hidden = true;
      note.textContent = "Decrypted in this browser; the server has only the ciphertext.";
      paste.setAttribute("data-opened", "yes");
      highlight();
    }, function () {
      note.textContent = "The key" + (parts[3] ? " and password do" : " does") +
                         " not open this paste.";
      if (parts[3]) document.getElementById("unlock").hidden = false;
    });
  }
  if (sealed && code) {
    if (sealed.textContent.split(":")[3]) {
      document.getElementById("unlock").hidden = false;
      document.getElementById("open-sealed").addEventListener("click", function () {
        unseal(document.getElementById("password").value);
      });
    } else {
      unseal("");
    }
  }
  // #L10 or #L10-L20: those lines marked and scrolled to.
  var box = document.querySelector(".code");
  function markLines() {
    if (!box || !paste) return;
    var old = box.querySelectorAll(".band, .gutter a.hl");
    for (var i = 0; i < old.length; i++) {
      if (old[i].classList.contains("band")) old[i].remove(); else old[i].classList.remove("hl");
    }
    var m = /^#L(\d+)(?:-L?(\d+))?$/.exec(location.hash);
    if (!m) return;
    var from = +m[1], to = m[2] ? +m[2] : from;
    if (to < from) { var t = from; from = to; to = t; }
    var first = document.getElementById("L" + from), last = document.getElementById("L" + to);
    if (!first || !last) return;
    for (var n = from; n <= to; n++) document.getElementById("L" + n).classList.add("hl");
    var band = document.createElement("div");
    band.className = "band";
    var top = first.getBoundingClientRect().top - box.getBoundingClientRect().top;
    band.style.top = top + "px";
    band.style.height = (last.getBoundingClientRect().bottom - first.getBoundingClientRect().top) + "px";
    box.appendChild(band);
    first.scrollIntoView({block: "center"});
  }
  markLines();
  window.addEventListener("hashchange", markLines);
  var wrap = document.getElementById("wrap");
  if (wrap && box) {
    wrap.hidden = false;
    wrap.addEventListener("click", function () {
      box.classList.toggle("wrap");
      wrap.textContent = box.classList.contains("wrap") ? "no wrap" : "wrap";
      markLines();
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

std::string Page(const std::string& title, const std::string& body,
                 const std::string& scripts = "") {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" +
         HtmlEscape(title) +
         "</title>"
         "<link rel=\"stylesheet\" href=\"/static/app.css\">" +
         std::string(scripts.empty() ? ""
                                     : "<link rel=\"stylesheet\" href=\"/static/highlight.css\">") +
         "</head><body>"
         "<header><h1><a href=\"/\">pastebin</a></h1></header><main>" +
         body + "</main>" + scripts + "<script src=\"/static/app.js\"></script></body></html>\n";
}

std::string SizeText(int64_t bytes) {
  if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// A QR code of url, folded away until asked for (no script needed).
std::string QrDetails(const std::string& url) {
  auto qr = EncodeQr(url);
  if (!qr.ok()) return "";
  return "<details id=\"qr\"><summary>QR code</summary>" + QrSvg(*qr, 200) + "</details>";
}

// The form's languages: detect (highlight.js guesses), then the usual ones
// by the extension that names them.
std::string LanguageOptions() {
  static const char* const kLanguages[][2] = {{"auto", "detect"},
                                              {"sh", "Shell"},
                                              {"py", "Python"},
                                              {"js", "JavaScript"},
                                              {"ts", "TypeScript"},
                                              {"c", "C"},
                                              {"cpp", "C++"},
                                              {"go", "Go"},
                                              {"rs", "Rust"},
                                              {"java", "Java"},
                                              {"rb", "Ruby"},
                                              {"php", "PHP"},
                                              {"sql", "SQL"},
                                              {"json", "JSON"},
                                              {"yaml", "YAML"},
                                              {"xml", "XML/HTML"},
                                              {"css", "CSS"},
                                              {"md", "Markdown"},
                                              {"diff", "Diff"},
                                              {"ini", "INI/TOML"},
                                              {"dockerfile", "Dockerfile"},
                                              {"makefile", "Makefile"},
                                              {"plaintext", "plain text"}};
  std::string out;
  for (const auto& l : kLanguages) {
    out += std::string("<option value=\"") + l[0] + "\">" + l[1] + "</option>";
  }
  return out;
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

bool AcceptsHtml(const HttpRequest& req) {
  return req.Header("Accept").find("text/html") != std::string_view::npos;
}

bool WantsHtml(const HttpRequest& req) { return AcceptsHtml(req) && !req.HasParam("raw"); }

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
                  options + "</select></label><label>Language <select id=\"lang\" name=\"lang\">" +
                  LanguageOptions() +
                  "</select></label><label><input type=\"checkbox\" id=\"burn\" name=\"burn\"> "
                  "Burn after reading</label><button type=\"submit\">Create paste</button>"
                  "<span class=\"muted\">UTF-8 text up to " +
                  SizeText(max_paste_bytes) + ".</span></div></form>");
}

std::string BurnPage(const std::string& shortlink) {
  std::string link = HtmlEscape(shortlink);
  return Page("Paste " + shortlink,
              "<div class=\"note\" id=\"burn\">This paste will be deleted when you open it: it "
              "can be read once. Open it when you are ready to keep what you need.</div>"
              "<form method=\"post\" action=\"/burn/" +
                  link + "\"><button id=\"open\" type=\"submit\">Open it</button></form>");
}

std::string PastePage(const StoredPaste& paste, const std::string& url, bool burned,
                      const std::string& language) {
  const PasteRecord& r = paste.record;
  std::string link = HtmlEscape(r.shortlink);
  std::string expiry =
      r.expires_at ? "expires " + FormatUtc(*r.expires_at) + " UTC" : "never expires";
  if (burned) expiry = "deleted now: this was its one reading";
  // Line numbers, each an anchor (#L10): a column beside the text, which
  // highlighting leaves alone.
  size_t lines =
      static_cast<size_t>(std::count(paste.contents.begin(), paste.contents.end(), '\n'));
  if (!paste.contents.empty() && paste.contents.back() != '\n') ++lines;
  std::string gutter;
  gutter.reserve(lines * 24);
  for (size_t n = 1; n <= std::max<size_t>(lines, 1); ++n) {
    std::string num = std::to_string(n);
    gutter += "<a id=\"L" + num + "\" href=\"#L" + num + "\">" + num + "</a>\n";
  }
  std::string file = r.shortlink + "." + (language.empty() ? "txt" : language);
  std::string sealed;
  std::string bar = "<div class=\"bar\"><span class=\"muted\">created " + FormatUtc(r.created_at) +
                    " UTC · " + expiry + " · " + SizeText(r.size) + "</span>" +
                    (burned ? "" : "<a id=\"raw\" href=\"/raw/" + link + "\">raw</a>") +
                    (burned ? ""
                            : "<a id=\"download\" href=\"/raw/" + link + "\" download=\"" +
                                  HtmlEscape(file) + "\">download</a>") +
                    "<button id=\"copy\" type=\"button\" hidden>copy</button>"
                    "<button id=\"wrap\" type=\"button\" hidden>wrap</button>"
                    "<a href=\"/\">new paste</a></div>";
  if (IsSealed(paste.contents)) {
    // Encrypted in its creator's pastebin: only the browser, with the key
    // in the link's fragment, opens it (app.js, WebCrypto). The numbers
    // follow the opened text.
    gutter.clear();
    sealed =
        "<div class=\"note\" id=\"encrypted\">This paste is encrypted end to end. It opens "
        "here with the key in its link (the part after #, which browsers never send), or "
        "with <code>pastebin get LINK#KEY</code>; the server has only the ciphertext."
        "</div><div id=\"unlock\" hidden><label>Password <input type=\"password\" "
        "id=\"password\" autocomplete=\"off\"></label><button id=\"open-sealed\" "
        "type=\"button\">Open</button></div><pre id=\"sealed\" hidden>" +
        HtmlEscape(paste.contents) + "</pre>";
  }
  return Page(
      "Paste " + r.shortlink,
      std::string(burned ? "<div class=\"note\" id=\"burned\">This paste is deleted now: this "
                           "page is its only reading. Copy what you need.</div>"
                         : "") +
          sealed + bar + (url.empty() ? "" : QrDetails(url)) +
          "<div class=\"code\"><pre class=\"gutter\">" + gutter + "</pre><pre id=\"paste\"" +
          (language.empty() ? "" : " data-lang=\"" + HtmlEscape(language) + "\"") + "><code>" +
          (sealed.empty() ? HtmlEscape(paste.contents) : "") + "</code></pre></div>",
      "<script src=\"/static/highlight.js\"></script>");
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

std::string CreatedPage(const StoredPaste& paste, const std::string& url,
                        const std::string& delete_token) {
  const PasteRecord& r = paste.record;
  std::string link = HtmlEscape(url), token = HtmlEscape(delete_token);
  std::string expiry =
      r.expires_at ? "expires " + FormatUtc(*r.expires_at) + " UTC" : "never expires";
  return Page("Paste " + r.shortlink + " created",
              "<div class=\"note\"><p>Your paste is at <a id=\"url\" href=\"" + link + "\">" +
                  link + "</a> (" + expiry +
                  ").</p><p>Its delete token, shown only now: <code id=\"token\">" + token +
                  "</code>. Keep this page or the token to delete the paste later: "
                  "<code>pastebin delete " +
                  link + " --token " + token +
                  "</code></p>"
                  "<form id=\"delete\" method=\"post\" action=\"/form/delete\">"
                  "<input type=\"hidden\" name=\"shortlink\" value=\"" +
                  HtmlEscape(r.shortlink) + "\"><input type=\"hidden\" name=\"token\" value=\"" +
                  token + "\"><button type=\"submit\">Delete it now</button></form>" +
                  QrDetails(url) +
                  "</div>"
                  "<div class=\"bar\"><a href=\"" +
                  link + "\">view</a><a href=\"/raw/" + HtmlEscape(r.shortlink) +
                  "\">raw</a><button id=\"copy\" type=\"button\" hidden>copy</button>"
                  "<a href=\"/\">new paste</a></div><pre id=\"paste\">" +
                  HtmlEscape(paste.contents) + "</pre>");
}

std::string DeletedPage(const std::string& shortlink) {
  return Page("Paste " + shortlink + " deleted",
              "<div class=\"note\" id=\"deleted\">Paste " + HtmlEscape(shortlink) +
                  " is deleted. Caches that kept it (see max_age) may still show it for a "
                  "while.</div><p><a href=\"/\">New paste</a></p>");
}

std::string ErrorPage(int http_status, const std::string& message) {
  const char* title;
  switch (http_status) {
    case 400:
      title = "Bad request";
      break;
    case 403:
      title = "Not allowed";
      break;
    case 404:
      title = "Not found";
      break;
    case 405:
      title = "Method not allowed";
      break;
    case 408:
      title = "Too slow";
      break;
    case 413:
      title = "Too large";
      break;
    case 415:
      title = "Not text";
      break;
    case 429:
      title = "Too many pastes";
      break;
    case 503:
      title = "Busy";
      break;
    case 507:
      title = "Out of space";
      break;
    default:
      title = http_status >= 500 ? "Server error" : "Error";
  }
  return Page(std::string(title) + " (" + std::to_string(http_status) + ")",
              "<h2 id=\"error\">" + std::string(title) + "</h2><p id=\"message\">" +
                  HtmlEscape(message) + "</p><p><a href=\"/\">New paste</a></p>");
}

std::string_view RobotsTxt() {
  // Pastes are people's text, not pages to index: only the front page.
  return "User-agent: *\nAllow: /$\nDisallow: /\n";
}

namespace {

// A 16x16 32-bit ICO: a page with a folded corner and lines of text, drawn
// from this picture ('#' ink, '+' paper, '.' transparent).
std::string MakeFavicon() {
  static const char* kPicture[16] = {
      "................", "..##########....", "..#+++++++#+#...", "..#+++++++#++#..",
      "..#+++++++####..", "..#++++++++++#..", "..#+######+++#..", "..#++++++++++#..",
      "..#+########+#..", "..#++++++++++#..", "..#+#######++#..", "..#++++++++++#..",
      "..#+#####++++#..", "..#++++++++++#..", "..############..", "................"};
  auto le16 = [](std::string& s, uint16_t v) {
    s.push_back(static_cast<char>(v & 0xff));
    s.push_back(static_cast<char>(v >> 8));
  };
  auto le32 = [&](std::string& s, uint32_t v) {
    le16(s, static_cast<uint16_t>(v & 0xffff));
    le16(s, static_cast<uint16_t>(v >> 16));
  };
  std::string image;  // BITMAPINFOHEADER, BGRA rows bottom-up, AND mask
  le32(image, 40);
  le32(image, 16);
  le32(image, 32);  // twice the height: the colour rows, then the mask
  le16(image, 1);
  le16(image, 32);
  for (int i = 0; i < 6; ++i) le32(image, 0);
  for (int y = 15; y >= 0; --y) {
    for (int x = 0; x < 16; ++x) {
      char c = kPicture[y][x];
      uint32_t bgra = c == '#' ? 0xff2458b3u : c == '+' ? 0xfffafafau : 0x00000000u;
      // 0xAARRGGBB stored as B, G, R, A
      le32(image, bgra);
    }
  }
  for (int y = 15; y >= 0; --y) {
    uint32_t row = 0;  // a set bit is transparent; rows are padded to 32 bits
    for (int x = 0; x < 16; ++x) {
      if (kPicture[y][x] == '.') row |= 1u << (7 - x % 8) << (x / 8 * 8);
    }
    le32(image, row);
  }
  std::string ico;
  le16(ico, 0);  // reserved
  le16(ico, 1);  // an icon
  le16(ico, 1);  // one image
  ico.push_back(16);
  ico.push_back(16);
  ico.push_back(0);  // no palette
  ico.push_back(0);
  le16(ico, 1);   // planes
  le16(ico, 32);  // bits per pixel
  le32(ico, static_cast<uint32_t>(image.size()));
  le32(ico, 6 + 16);  // the image follows this one directory entry
  return ico + image;
}

}  // namespace

std::string_view FaviconIco() {
  static const std::string kIco = MakeFavicon();
  return kIco;
}

bool StaticAsset(std::string_view name, std::string_view* bytes, std::string_view* type) {
  if (name == "highlight.js") {
    static const std::string_view kJs(kHighlightJs);  // its length, once
    *bytes = kJs;
    *type = "text/javascript; charset=utf-8";
    return true;
  }
  if (name == "highlight.css") {
    static const std::string_view kCssView(kHighlightCss);
    *bytes = kCssView;
    *type = "text/css; charset=utf-8";
    return true;
  }
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

std::string_view GzippedAsset(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> kGzipped = [] {
    std::map<std::string, std::string, std::less<>> out;
    for (const char* asset : {"app.css", "app.js", "highlight.js", "highlight.css"}) {
      std::string_view bytes, type;
      if (StaticAsset(asset, &bytes, &type) && bytes.size() > 1024) {
        out[asset] = GzipCompress(bytes, 9);
      }
    }
    return out;
  }();
  auto it = kGzipped.find(name);
  return it == kGzipped.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace pastebin
