// Highlights a paste off the page's thread (the paste page's app.js starts
// it): the text is readable and the page scrolls while highlight.js works.
// Given {source, lang, auto}: lang names the language, else, when auto is
// set (small pastes only), highlight.js guesses and the guess is kept only
// when it is confident. Answers {html, language}; html is null for text
// to be shown as it is.
"use strict";
// highlight.js at the version the page named (?hl=), which may be cached.
importScripts("/static/highlight.js?v=" + (new URL(self.location.href).searchParams.get("hl") || ""));
// Guesses are made among common languages only, and kept only when clearly
// ahead: among all of highlight.js's, logs and prose came out as YAML,
// AngelScript, AppleScript or RouterOS (measured on dmesg, ls -la, an app
// log and a sentence: each now plain text, while JSON, Python and shell
// are still told).
var kGuessable = ["bash", "c", "cpp", "cs", "css", "diff", "dockerfile", "go", "java",
                  "javascript", "json", "kotlin", "lua", "makefile", "perl", "php", "python",
                  "ruby", "rust", "sql", "swift", "typescript", "xml"];
var kConfident = 7, kAhead = 2;
onmessage = function (e) {
  var d = e.data, out = null;
  if (d.lang && hljs.getLanguage(d.lang)) {
    out = hljs.highlight(d.lang, d.source, true);  // highlight.js 9 (Debian 12)
  } else if (d.auto) {
    out = hljs.highlightAuto(d.source, kGuessable);
    var second = out.second_best ? out.second_best.relevance : 0;
    if (!out.language || out.relevance < kConfident || out.relevance - second < kAhead) out = null;
  }
  postMessage(out ? {html: out.value, language: out.language} : {html: null, language: ""});
};
