// The pages' script: progressive touches only (copy, wrap, highlighting,
// line marks, opening encrypted pastes); every page works without it.
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
  // Highlighting, in a worker (hl-worker.js) so that the page is readable
  // and scrolls at once whatever the paste's size: the language the page
  // names (a link's .py, ?lang=, the creator's choice), else, for pastes
  // under 64 KiB, highlight.js's guess when it is confident; else plain
  // text. Pastes over 1 MiB are shown as they are. The bar says what the
  // paste is shown as, and lets the reader choose.
  var code = paste && paste.querySelector("code");
  var kGuessMax = 64 * 1024, kHighlightMax = 1024 * 1024;
  var worker = null;
  function shownAs(language, why) {
    paste.setAttribute("data-shown-as", language);
    var label = document.getElementById("shown-as");
    if (!label) {
      label = document.createElement("label");
      label.id = "shown-as";
      var bar = (wrapButton() || copy || paste).parentNode;
      bar.appendChild(label);
    }
    label.textContent = "shown as ";
    var pick = document.createElement("select");
    var choices = ["plaintext", "bash", "c", "cpp", "css", "diff", "go", "ini", "java",
                   "javascript", "json", "markdown", "php", "python", "ruby", "rust", "sql",
                   "typescript", "xml", "yaml"];
    if (language && choices.indexOf(language) < 0) choices.unshift(language);
    choices.forEach(function (name) {
      var o = document.createElement("option");
      o.value = name;
      o.textContent = name === "plaintext" ? "plain text" : name;
      o.selected = name === (language || "plaintext");
      pick.appendChild(o);
    });
    pick.addEventListener("change", function () {
      var u = new URL(location.href);
      u.searchParams.set("lang", pick.value);
      location.href = u.toString();
    });
    label.appendChild(pick);
    if (why) label.appendChild(document.createTextNode(" " + why));
  }
  function wrapButton() { return document.getElementById("wrap"); }
  function highlight() {
    if (!code || !code.textContent) return;
    var lang = paste.getAttribute("data-lang") || "";
    var source = code.textContent;
    if (lang === "plaintext" || lang === "text") return shownAs("", "");
    if (source.length > kHighlightMax) return shownAs("", "(too large to highlight)");
    if (!lang && source.length > kGuessMax) return shownAs("", "");
    if (!window.Worker) return shownAs("", "");
    // The bar's place for it now, so nothing moves when the answer comes.
    if (!document.getElementById("shown-as")) shownAs(lang, "");
    paste.removeAttribute("data-shown-as");
    if (worker) worker.terminate();
    worker = new Worker("/static/hl-worker.js");
    worker.onmessage = function (e) {
      worker.terminate();
      worker = null;
      if (code.textContent !== source) return;  // opened or changed meanwhile
      if (e.data.html !== null) {
        code.innerHTML = e.data.html;
        code.classList.add("hljs");
      }
      shownAs(e.data.html !== null ? (lang || e.data.language) : "", "");
    };
    worker.postMessage({source: source, lang: lang, auto: !lang});
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
  // The rounds are the paste maker's choice and the reader's cost: no more
  // than pastebin's own cap (the page names it), or one link holds this
  // tab's CPU for minutes before a password is even tried.
  function tooManyRounds() {
    var parts = sealed.textContent.trim().split(":");
    var rounds = +parts[2], most = +sealed.getAttribute("data-max-rounds");
    if (!parts[3] || (rounds >= 1 && rounds <= most)) return false;
    document.getElementById("encrypted").textContent =
        "This paste asks for " + parts[2] + " password rounds; pastebin opens at most " + most +
        ", so that a link cannot hold your browser for minutes. It was not made by pastebin.";
    return true;
  }
  if (sealed && code && !tooManyRounds()) {
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
  // The created page's "Delete it now" asks first: a stray click is final.
  var del = document.getElementById("delete");
  if (del) {
    del.addEventListener("submit", function (e) {
      if (!window.confirm("Delete this paste now? It cannot be undone.")) e.preventDefault();
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
