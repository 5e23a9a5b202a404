#include "daemon/pages/pages.h"

#include <algorithm>
#include <vector>

#include "common/duration.h"
#include "common/qr.h"
#include "common/sealed.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "daemon/pages/assets.h"

namespace pastebin {
namespace {

size_t LinesOf(std::string_view text);

// What a page's head says beyond its title.
struct Head {
  std::string description;   // its meta description: what the page is
  bool indexable = false;    // only the front page is (robots.txt says so too)
  bool shows_paste = false;  // app.js highlights it (in a worker): its
                             // colours' stylesheet too, and the text
                             // column takes the window's width
};

// /static/NAME?v=VERSION: cached for a year (the address changes with it).
std::string Asset(std::string_view name) {
  return "/static/" + std::string(name) + "?v=" + std::string(AssetVersion(name));
}

std::string Page(const std::string& title, const std::string& body, const Head& head) {
  // The script comes last: the text shows before it runs; it only
  // decorates. Its worker's address (and highlight.js's) ride on it.
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" +
         HtmlEscape(title) + "</title><meta name=\"description\" content=\"" +
         HtmlEscape(head.description) + "\">" +
         (head.indexable ? "" : "<meta name=\"robots\" content=\"noindex\">") +
         "<link rel=\"stylesheet\" href=\"" + Asset("app.css") + "\">" +
         (head.shows_paste ? "<link rel=\"stylesheet\" href=\"" + Asset("highlight.css") + "\">"
                           : "") +
         "</head><body>"
         "<header><h1><a href=\"/\">pastebin</a></h1></header><main" +
         (head.shows_paste ? " class=\"wide\"" : "") + ">" + body + "</main><script src=\"" +
         Asset("app.js") + "\" data-worker=\"" + Asset("hl-worker.js") +
         "&amp;hl=" + std::string(AssetVersion("highlight.js")) + "\"></script></body></html>\n";
}

// A paste page's description: what is there, in a line.
std::string Describe(const StoredPaste& paste) {
  if (IsSealed(paste.contents)) return "An encrypted paste on pastebin.";
  size_t lines = LinesOf(paste.contents);
  return "Paste " + paste.record.shortlink + " on pastebin: " + std::to_string(lines) +
         (lines == 1 ? " line, " : " lines, ") + HumanBytes(paste.record.size) + ".";
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

size_t LinesOf(std::string_view text) {
  size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++lines;
  return std::max<size_t>(lines, 1);
}

// Line numbers: a column beside the text, which highlighting leaves alone.
// The first kAnchoredLines are anchors (#L10 scrolls to, and marks, its
// number); the rest, up to kNumberedLines, plain numbers, which app.js
// makes anchors a block at a time (up to line 10,000) when one is marked,
// clicked or wrapped: a paste of newlines makes a page a few times its
// size, not hundreds, and a long log's page is not ten thousand elements
// to build before it is usable. They are not
// links: a column of 18-pixel links is too small a target for a finger and
// ten thousand stops for a keyboard; app.js makes a click on one mark it.
std::string Gutter(size_t lines) {
  std::string gutter;
  size_t anchored = std::min(lines, kAnchoredLines);
  size_t numbered = std::min(lines, kNumberedLines);
  bool chunked = lines > kChunkLines;
  gutter.reserve(anchored * 40 + (numbered - anchored) * 8 + (numbered / kChunkLines + 1) * 32);
  for (size_t n = 1; n <= numbered; ++n) {
    if (chunked && n % kChunkLines == 1) gutter += "<span class=\"c\">";
    std::string num = std::to_string(n);
    if (n <= anchored) {
      gutter += "<span id=\"L" + num + "\">" + num + "</span>\n";
    } else {
      gutter += num + "\n";
    }
    if (chunked && (n % kChunkLines == 0 || n == numbered)) gutter += "</span>";
  }
  return gutter;
}

// The gutter's width from the start, as wide as its widest number (d1 to
// d6, app.css), so that the text beside it does not move right as the
// numbers arrive (an encrypted paste's numbers are made once it is open).
std::string DigitsClass(size_t lines) {
  return " d" + std::to_string(std::to_string(std::min(lines, kNumberedLines)).size());
}

// The text (of lines lines), escaped; a long one in blocks of kChunkLines lines (as the
// gutter's numbers are), which the browser lays out only near the view
// (app.css: content-visibility), so a page of a 10 MiB log scrolls at once
// and its first lines show while the rest still arrives.
std::string PasteText(std::string_view contents, size_t lines) {
  if (lines <= kChunkLines) return HtmlEscape(contents);
  std::string out;
  out.reserve(contents.size() + contents.size() / 8);
  for (size_t start = 0; start < contents.size();) {
    size_t end = start;
    for (size_t n = 0; n < kChunkLines && end < contents.size(); ++n) {
      size_t newline = contents.find('\n', end);
      end = newline == std::string_view::npos ? contents.size() : newline + 1;
    }
    out += "<span class=\"c\">" + HtmlEscape(contents.substr(start, end - start)) + "</span>";
    start = end;
  }
  return out;
}

}  // namespace

size_t PageBytesBound(std::string_view contents) {
  size_t escaped = contents.size();
  for (char c : contents) {
    switch (c) {
      case '&':
      case '\'':
        escaped += 4;  // &amp; &#39;
        break;
      case '<':
      case '>':
        escaped += 3;
        break;
      case '"':
        escaped += 5;
        break;
      default:
        break;
    }
  }
  size_t lines = LinesOf(contents);
  size_t anchored = std::min(lines, kAnchoredLines);
  size_t numbered = std::min(lines, kNumberedLines);
  // The gutter, the blocks of both columns, the page around the text (its
  // QR code included).
  return escaped + anchored * 40 + (numbered - anchored) * 8 + (lines / kChunkLines + 1) * 64 +
         (16 << 10);
}

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

void SetPageHeaders(HttpResponse& res) {
  res.SetHeader("Content-Security-Policy",
                "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
                "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
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
    std::string label;
    int64_t minutes;
  };
  std::vector<Choice> choices = {
      {"never", 0},       {"10 minutes", 10},      {"1 hour", 60},
      {"1 day", 24 * 60}, {"1 week", 7 * 24 * 60}, {"30 days", 30 * 24 * 60}};
  // The server's default is always on offer, and chosen: a browser sends
  // what is selected, so a form without it would pick another expiry.
  bool listed = false;
  for (const Choice& c : choices) listed = listed || c.minutes == default_expiry_minutes;
  if (!listed) {
    choices.push_back({FormatDuration(default_expiry_minutes), default_expiry_minutes});
    std::stable_sort(choices.begin() + 1, choices.end(),
                     [](const Choice& a, const Choice& b) { return a.minutes < b.minutes; });
  }
  std::string options;
  for (const Choice& c : choices) {
    bool allowed = max_expiry_minutes == 0 || (c.minutes > 0 && c.minutes <= max_expiry_minutes);
    if (!allowed) continue;
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
                  SizeText(max_paste_bytes) + ".</span></div></form>",
              {"Paste text and get a short link back: here, or from a terminal with curl or "
               "the pastebin command.",
               /*indexable=*/true});
}

std::string BurnPage(const std::string& shortlink) {
  std::string link = HtmlEscape(shortlink);
  return Page("Paste " + shortlink,
              "<div class=\"note\" id=\"burn\">This paste will be deleted when you open it: it "
              "can be read once. Open it when you are ready to keep what you need.</div>"
              "<form method=\"post\" action=\"/burn/" +
                  link + "\"><button id=\"open\" type=\"submit\">Open it</button></form>",
              {"A paste on pastebin that can be read once."});
}

namespace {

// A paste as its pages show it: the bar (times, size, raw, download, copy,
// copy link, wrap), a QR code of url (none when url is empty), numbered
// lines and the text.
std::string PasteSection(const StoredPaste& paste, const std::string& url, bool burned,
                         const std::string& language) {
  const PasteRecord& r = paste.record;
  std::string link = HtmlEscape(r.shortlink);
  std::string expiry =
      r.expires_at ? "expires " + FormatUtc(*r.expires_at) + " UTC" : "never expires";
  if (burned) expiry = "deleted now: this was its one reading";
  bool sealed = IsSealed(paste.contents);
  // Counted once: the gutter, its width and the text's blocks all follow it.
  size_t lines = sealed ? 0 : LinesOf(paste.contents);
  std::string file = r.shortlink + "." + (language.empty() ? "txt" : language);
  // The buttons need app.js, which enables them; they are there from the
  // start, so that nothing moves when it does. An encrypted paste's raw
  // bytes and size are its ciphertext's: its raw and download links, copy
  // and wrap wait, hidden, for app.js to open it, and then act on the
  // text it shows.
  std::string until_opened = sealed ? " hidden" : "";
  std::string bar =
      "<div class=\"bar\"><span class=\"muted\">created " + FormatUtc(r.created_at) + " UTC · " +
      expiry + " · <span id=\"size\">" + (sealed ? "encrypted" : HumanBytes(r.size)) +
      "</span></span>" +
      (burned ? ""
              : "<a id=\"raw\" href=\"/raw/" + link + "\"" + until_opened +
                    ">raw</a><a id=\"download\" href=\"/raw/" + link + "\" download=\"" +
                    HtmlEscape(file) + "\"" + until_opened + ">download</a>") +
      "<button id=\"copy\" type=\"button\" disabled" + until_opened + ">copy</button>" +
      (url.empty() ? ""
                   : "<button id=\"copy-link\" type=\"button\" data-link=\"" + HtmlEscape(url) +
                         "\" disabled>copy link</button>") +
      "<button id=\"wrap\" type=\"button\" disabled" + until_opened +
      ">wrap</button>"
      "<a href=\"/\">new paste</a></div>";
  std::string notice, gutter;
  if (sealed) {
    // Encrypted in its creator's pastebin: only the browser, with the key
    // in the link's fragment, opens it (app.js, WebCrypto). The numbers
    // follow the opened text.
    notice =
        "<div class=\"note\" id=\"encrypted\">This paste is encrypted end to end. It opens "
        "here with the key in its link (the part after #, which browsers never send), or "
        "with <code>pastebin get LINK#KEY</code>; the server has only the ciphertext."
        "</div><div id=\"unlock\" hidden><label>Password <input type=\"password\" "
        "id=\"password\" autocomplete=\"off\"></label><button id=\"open-sealed\" "
        "type=\"button\">Open</button></div><pre id=\"sealed\" data-max-rounds=\"" +
        std::to_string(kMaxPasswordIterations) + "\" hidden>" + HtmlEscape(paste.contents) +
        "</pre>";
  } else {
    gutter = Gutter(lines);
  }
  return notice + bar + (url.empty() ? "" : QrDetails(url)) +
         "<div class=\"code\"><pre class=\"gutter" + (sealed ? "" : DigitsClass(lines)) + "\">" +
         gutter + "</pre><pre id=\"paste\"" +
         (language.empty() ? "" : " data-lang=\"" + HtmlEscape(language) + "\"") +
         // Its bytes, for app.js: whether to highlight, without reading the
         // text back out of the page. An encrypted paste's are not known yet.
         (sealed ? "" : " data-size=\"" + std::to_string(paste.contents.size()) + "\"") +
         "><code>" + (sealed ? "" : PasteText(paste.contents, lines)) + "</code></pre></div>";
}

}  // namespace

std::string PastePage(const StoredPaste& paste, const std::string& url, bool burned,
                      const std::string& language) {
  return Page("Paste " + paste.record.shortlink,
              std::string(burned ? "<div class=\"note\" id=\"burned\">This paste is deleted "
                                   "now: this page is its only reading. Copy what you need.</div>"
                                 : "") +
                  PasteSection(paste, url, burned, language),
              {Describe(paste), false, /*shows_paste=*/true});
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
                        const std::string& language) {
  const PasteRecord& r = paste.record;
  std::string link = HtmlEscape(url);
  std::string expiry =
      r.expires_at ? "expires " + FormatUtc(*r.expires_at) + " UTC" : "never expires";
  // The delete token is in this page's address, after #token= (the form's
  // answer, 303, led here): never sent back, never logged, and a reload
  // makes no second paste. app.js shows it and fills the delete form;
  // without scripts the address shows it and the form asks for it.
  std::string note =
      "<div class=\"note\" id=\"created\"><p>Your paste is at <a id=\"url\" href=\"" + link +
      "\">" + link + "</a> (" + expiry + ").</p>" +
      (r.burn_after_reading
           ? "<p id=\"burns\">It burns after reading: whoever opens it first reads it, and "
             "then it is gone. Opening the link yourself uses up that reading, so its text "
             "is not shown here.</p>"
           : "") +
      "<p id=\"token-line\" hidden>Its delete token: <code id=\"token\"></code>. It is in "
      "this page's address only: keep the address or the token to delete the paste later "
      "with <code id=\"delete-command\"></code></p>"
      "<noscript><p>Its delete token is the part of this page's address after "
      "<code>#token=</code>: keep it to delete the paste later.</p></noscript>"
      "<form id=\"delete\" method=\"post\" action=\"/form/delete\">"
      "<input type=\"hidden\" name=\"shortlink\" value=\"" +
      HtmlEscape(r.shortlink) +
      "\"><label id=\"token-field\">Delete token <input name=\"token\" required "
      "autocomplete=\"off\" spellcheck=\"false\"></label> <button type=\"submit\">Delete it "
      "now</button></form></div>";
  std::string shown =
      r.burn_after_reading ? QrDetails(url) : PasteSection(paste, url, false, language);
  return Page("Paste " + r.shortlink + " created", note + shown,
              {"Your new paste on pastebin, its link and delete token.", false,
               /*shows_paste=*/true});
}

std::string DeletedPage(const std::string& shortlink) {
  return Page("Paste " + shortlink + " deleted",
              "<div class=\"note\" id=\"deleted\">Paste " + HtmlEscape(shortlink) +
                  " is deleted. Caches that kept it (see max_age) may still show it for a "
                  "while.</div><p><a href=\"/\">New paste</a></p>",
              {"A paste deleted from pastebin."});
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
                  HtmlEscape(message) + "</p><p><a href=\"/\">New paste</a></p>",
              {std::string(title) + ": " + message});
}

}  // namespace pastebin
