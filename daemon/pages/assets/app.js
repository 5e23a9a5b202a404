// The pages' script: progressive touches only (copy, copy link, wrap,
// highlighting, line marks, opening encrypted pastes, the created page's
// token); every page works without it.
"use strict";
// The worker's address, versioned as this script's is (the page says it).
var kWorker = document.currentScript && document.currentScript.getAttribute("data-worker");
document.addEventListener("DOMContentLoaded", function () {
  var paste = document.getElementById("paste");
  var sealed = document.getElementById("sealed");
  // The address's fragment holds parts joined by '&': an encrypted paste's
  // key (43 characters), the created page's token=T, and the marked lines
  // (L3 or L3-L7). Each is changed alone, so marking lines keeps the key
  // (#KEY&L3, which pastebin get reads too) and the token.
  function hashParts() {
    return location.hash.slice(1).split("&").filter(function (p) { return p !== ""; });
  }
  function hashPart(pattern) {
    var parts = hashParts();
    for (var i = 0; i < parts.length; i++) if (pattern.test(parts[i])) return parts[i];
    return "";
  }
  var kLines = /^L(\d+)(?:-L?(\d+))?$/;
  function hashWithLines(lines) {
    var parts = hashParts().filter(function (p) { return !kLines.test(p); });
    if (lines) parts.push(lines);
    return "#" + parts.join("&");
  }
  // Bytes as the CLI's stats say them: "512 B", "131.1 KB" (HumanBytes).
  function humanBytes(n) {
    if (n < 1000) return n + " B";
    var units = ["KB", "MB", "GB", "TB", "PB"], u = 0, v = n / 1000;
    for (; v >= 999.95 && u + 1 < units.length; ++u) v /= 1000;
    return v.toFixed(1) + " " + units[u];
  }
  function flash(button, said, was) {
    button.textContent = said;
    setTimeout(function () { button.textContent = was; }, 1500);
  }
  var copy = document.getElementById("copy");
  if (!navigator.clipboard) {  // only https (or this machine) may write it
    ["copy", "copy-link"].forEach(function (id) {
      var b = document.getElementById(id);
      if (b) b.title = "copying needs the page over https";
    });
  }
  if (copy && paste && navigator.clipboard) {
    copy.disabled = false;  // an encrypted paste's shows once it is opened
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(paste.textContent).then(function () {
        flash(copy, "copied", "copy");
      });
    });
  }
  // The paste's link; an encrypted paste's with its key, without which it
  // cannot be read.
  var copyLink = document.getElementById("copy-link");
  if (copyLink && navigator.clipboard) {
    copyLink.disabled = false;
    copyLink.addEventListener("click", function () {
      var key = hashPart(/^[A-Za-z0-9_-]{43}$/);
      var link = copyLink.getAttribute("data-link") + (sealed && key ? "#" + key : "");
      navigator.clipboard.writeText(link).then(function () {
        flash(copyLink, "link copied", "copy link");
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
    if (!code || !code.firstChild) return;
    var lang = paste.getAttribute("data-lang") || "";
    if (lang === "plaintext" || lang === "text") return shownAs("", "");
    // The page says the paste's size (its bytes, never fewer than the
    // text's characters), so a large one is never read out of the page here
    // (10-40 ms for a megabyte, in the page's first task); an opened
    // encrypted paste's is its text's length.
    var source = null, size = paste.getAttribute("data-size");
    if (size === null) {
      source = code.textContent;
      size = source.length;
    }
    if (+size > kHighlightMax) return shownAs("", "(too large to highlight)");
    if (!lang && +size > kGuessMax) return shownAs("", "");
    if (!window.Worker) return shownAs("", "");
    if (source === null) source = code.textContent;
    // The bar's place for it now, so nothing moves when the answer comes.
    if (!document.getElementById("shown-as")) shownAs(lang, "");
    paste.removeAttribute("data-shown-as");
    if (worker) worker.terminate();
    worker = new Worker(kWorker || "/static/hl-worker.js");
    worker.onmessage = function (e) {
      worker.terminate();
      worker = null;
      if (code.textContent !== source) return;  // opened or changed meanwhile
      if (e.data.html !== null) {
        code.innerHTML = e.data.html;
        code.classList.add("hljs");
        numberWrapped();
      }
      shownAs(e.data.html !== null ? (lang || e.data.language) : "", "");
    };
    worker.postMessage({source: source, lang: lang, auto: !lang});
  }
  highlight();
  // An encrypted paste: opened here with the key in the link's fragment
  // (and a password when it has one); nothing of it goes back to the server.
  function fromB64(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  // The opened text and its numbers as the server lays out a paste's page
  // (pages.cc: Gutter, PasteText): past kBlockLines lines, in blocks of
  // them, which app.css lays out only near the view; the first kAnchored
  // numbers anchors, the rest plain (made anchors when needed) up to
  // kNumbered, as wide as the widest from the start.
  var kAnchored = 1000, kNumbered = 100000;
  function showBlocks(text) {
    var parts = text.split("\n");
    if (parts[parts.length - 1] === "") parts.pop();  // the last line's newline
    var lines = Math.max(parts.length, 1), numbered = Math.min(lines, kNumbered);
    var chunked = lines > kBlockLines, html = "";
    for (var n = 1; n <= numbered; n++) {
      if (chunked && n % kBlockLines === 1) html += '<span class="c">';
      html += numberLine(n, n <= kAnchored);
      if (chunked && (n % kBlockLines === 0 || n === numbered)) html += "</span>";
    }
    var gutter = document.querySelector("pre.gutter");
    gutter.innerHTML = html;
    gutter.classList.add("d" + String(numbered).length);
    if (!chunked) {
      code.textContent = text;
      return;
    }
    var blocks = document.createDocumentFragment();
    for (var at = 0; at < parts.length; at += kBlockLines) {
      var block = document.createElement("span");
      block.className = "c";
      var end = Math.min(at + kBlockLines, parts.length);
      // Every line keeps its newline but a last one that had none.
      block.textContent = parts.slice(at, end).join("\n") +
                          (end < parts.length || text.endsWith("\n") ? "\n" : "");
      blocks.appendChild(block);
    }
    code.textContent = "";
    code.appendChild(blocks);
  }
  function unseal(password) {
    var note = document.getElementById("encrypted");
    var parts = sealed.textContent.trim().split(":");
    var key = hashPart(/^[A-Za-z0-9_-]{43}$/);
    if (!key) {
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
      showBlocks(text);
      document.getElementById("unlock").hidden = true;
      note.textContent = "Decrypted in this browser; the server has only the ciphertext.";
      // Raw, download, copy and wrap now act on the text shown, never on
      // the ciphertext, and the size is the text's.
      var file = URL.createObjectURL(new Blob([plain], {type: "text/plain;charset=utf-8"}));
      ["raw", "download"].forEach(function (id) {
        var a = document.getElementById(id);
        if (!a) return;
        a.href = file;
        a.hidden = false;
      });
      document.getElementById("size").textContent = humanBytes(plain.byteLength);
      if (copy && navigator.clipboard) copy.hidden = false;
      if (wrap) wrap.hidden = wrap.disabled = false;
      paste.setAttribute("data-opened", "yes");
      markLines();
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
  // #L10 or #L10-L20 (beside a key or token): those lines marked and
  // scrolled to. A click on a number marks its line; a shift-click, the
  // lines from the one marked to it (as GitHub does), not a new window.
  var box = document.querySelector(".code");
  var gutter = document.querySelector("pre.gutter");
  // The page makes the first lines' numbers anchors (#L10 scrolls there
  // without this script too); past them a block of kBlockLines numbers is
  // plain text, ten thousand elements fewer for the page to build, and is
  // made anchors here when a number in it is marked, clicked or wrapped.
  // (pages.h: kChunkLines, kAnchoredLines, kNumberedLines, which a unit
  // test holds these to; kAnchorMax is this script's.)
  var kBlockLines = 500, kAnchorMax = 10000;
  // A number's line in the gutter: an anchor (#Ln), or plain.
  function numberLine(n, anchor) {
    return anchor ? '<span id="L' + n + '">' + n + "</span>\n" : n + "\n";
  }
  function anchorBlock(block) {
    if (block.firstElementChild) return;  // made anchors already
    var numbers = block.textContent.split("\n"), html = "";
    for (var i = 0; i < numbers.length; i++) {
      var n = numbers[i];
      if (n === "") continue;
      html += numberLine(n, +n <= kAnchorMax);
    }
    block.innerHTML = html;
  }
  // Line n's number, made an anchor first if it is in a plain block.
  function lineAnchor(n) {
    var number = document.getElementById("L" + n);
    if (number || !gutter || n < 1 || n > kAnchorMax) return number;
    var block = gutter.children[Math.floor((n - 1) / kBlockLines)];
    if (block && block.classList.contains("c")) anchorBlock(block);
    return document.getElementById("L" + n);
  }
  function anchorAll() {
    var blocks = gutter.children;
    for (var i = 0; i < blocks.length && i * kBlockLines < kAnchorMax; i++) {
      if (blocks[i].classList.contains("c")) anchorBlock(blocks[i]);
    }
  }
  function markedLines() {
    var m = kLines.exec(hashPart(kLines));
    if (!m) return null;
    var from = +m[1], to = m[2] ? +m[2] : from;
    return from <= to ? [from, to] : [to, from];
  }
  function markLines() {
    if (!box || !paste) return;
    var old = box.querySelectorAll(".band, .gutter .hl");
    for (var i = 0; i < old.length; i++) {
      if (old[i].classList.contains("band")) old[i].remove(); else old[i].classList.remove("hl");
    }
    var marked = markedLines();
    if (!marked) return;
    var from = marked[0], to = marked[1];
    var first = lineAnchor(from), last = lineAnchor(to);
    if (!first || !last) return;
    for (var n = from; n <= to; n++) lineAnchor(n).classList.add("hl");
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
  if (gutter) {
    gutter.addEventListener("click", function (e) {
      var number = e.target.closest("span[id^=L]");
      var block = !number && e.target.closest("pre.gutter .c");
      if (block) {  // a plain block: its numbers made anchors, then the one under the click
        anchorBlock(block);
        var under = document.elementFromPoint(e.clientX, e.clientY);
        number = under && under.closest("span[id^=L]");
      }
      if (!number) return;
      e.preventDefault();
      var n = +number.id.slice(1), marked = markedLines();
      var lines = e.shiftKey && marked ? "L" + Math.min(marked[0], n) + "-L" + Math.max(marked[0], n)
                                       : "L" + n;
      // Marking again what is marked fires no hashchange: mark it anyway.
      if (location.hash === hashWithLines(lines)) return markLines();
      location.hash = hashWithLines(lines);
    });
  }
  // Wrapped, a line of text may take several rows: each number is made as
  // tall as its line, so numbers and anchors stay beside their lines (the
  // numbers past the anchored ones are left out while wrapped).
  var wrap = document.getElementById("wrap");
  var unwrappedGutter = null;
  function lineTops() {
    // Where each line's box starts: the text's top, then below each
    // newline (whose own box is its glyph's, half the leading short of the
    // line's).
    var range = document.createRange(), origin = code.getBoundingClientRect().top;
    var lineHeight = parseFloat(getComputedStyle(paste).lineHeight), tops = [0];
    var walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (var node = walk.nextNode(); node; node = walk.nextNode()) {
      for (var i = node.data.indexOf("\n"); i >= 0; i = node.data.indexOf("\n", i + 1)) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        var r = range.getBoundingClientRect();
        tops.push(r.bottom + (lineHeight - r.height) / 2 - origin);
      }
    }
    tops.push(code.getBoundingClientRect().bottom - origin);
    return tops;
  }
  function numberWrapped() {
    if (!box || !box.classList.contains("wrap") || !gutter) return;
    var anchors = gutter.querySelectorAll("span[id^=L]");
    var tops = lineTops();
    for (var i = 0; i < anchors.length; i++) {
      var h = (tops[i + 1] !== undefined ? tops[i + 1] : tops[i]) - tops[i];
      anchors[i].style.height = Math.max(h, 0) + "px";
    }
    markLines();
  }
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; numberWrapped(); });
  });
  if (wrap && box) {
    wrap.disabled = false;  // an encrypted paste's shows once it is opened
    wrap.addEventListener("click", function () {
      var wrapped = box.classList.toggle("wrap");
      wrap.textContent = wrapped ? "no wrap" : "wrap";
      if (wrapped) {
        anchorAll();
        unwrappedGutter = gutter.innerHTML;
        // Past the last anchored number (and the block that holds it).
        var numbers = gutter.querySelectorAll("span[id^=L]");
        for (var last = numbers[numbers.length - 1]; last && last !== gutter;
             last = last.parentNode) {
          while (last.nextSibling) last.parentNode.removeChild(last.nextSibling);
        }
        numberWrapped();
      } else {
        gutter.innerHTML = unwrappedGutter;
        markLines();
      }
    });
  }
  // The created page: the delete token is in the address the form's
  // answer led here (#token=T), which no server sees: shown, and given to
  // the delete form.
  var created = document.getElementById("created");
  if (created) {
    var token = hashPart(/^token=[A-Za-z0-9_-]+$/).slice(6);
    var line = document.getElementById("token-line");
    line.hidden = false;
    if (token) {
      document.getElementById("token").textContent = token;
      // The token in the environment, not the arguments, which every user
      // of the machine can read.
      document.getElementById("delete-command").textContent =
          "PASTEBIN_DELETE_TOKEN=" + token + " pastebin delete " +
          document.getElementById("url").href;
      var field = document.getElementById("token-field");
      field.querySelector("input").value = token;
      field.hidden = true;
    } else {
      line.textContent = "This address does not carry the delete token: it was in the " +
                         "address the form led to. Type it below to delete the paste.";
    }
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
