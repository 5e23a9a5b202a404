// The web pages in a real browser: Debian's chromium, headless, driven by
// playwright-core against a real pasted on a free port. Fills the form,
// submits, sees the link and delete token, goes on to the paste's page,
// checks the text, checks that a <script> payload did not run, follows a
// short link, sees a missing paste's page, deletes with the created page's
// button, and saves screenshots. Exits 77 (ctest: skipped) when chromium cannot run here.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CHROMIUM, skip, startDaemon } from "./harness.mjs";
import assert from "node:assert/strict";
import { decodePng, contrast, ink, background, strongestInk } from "./png.mjs";

const binDir = process.env.PASTEBIN_BIN_DIR;
const outDir = process.env.BROWSER_OUT_DIR || os.tmpdir();

async function main() {
  if (!binDir) throw new Error("PASTEBIN_BIN_DIR is not set");
  if (!fs.existsSync(CHROMIUM)) skip("chromium is not installed (Debian package chromium)");
  fs.mkdirSync(outDir, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pastebin-browser-"));
  const { child, url } = await startDaemon(binDir, path.join(dataDir, "data"));
  let browser;
  try {
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
               "--disable-quic", "--disable-background-networking", "--disable-component-update",
               "--disable-sync"],  // playwright gives it a fresh, empty profile
      });
    } catch (e) {
      skip("chromium cannot start here: " + e.message.split("\n")[0]);
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
    const page = await context.newPage();
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    // A screenshot, saved, and its pixels to check; and where an element is
    // drawn on it.
    const shoot = async (name, options = {}) =>
      decodePng(await page.screenshot({ path: path.join(outDir, name), ...options }));
    const box = (selector) => page.locator(selector).first().boundingBox();
    // The line numbers marked, once the page has caught up (a click's
    // hashchange is handled after the click returns).
    const marked = async (expected) => {
      // Polled from here: a function run in the page would need 'unsafe-eval',
      // which the pages' policy refuses.
      for (let i = 0; i < 50; i++) {
        const now = await page.locator(".gutter .hl").allTextContents();
        if (JSON.stringify(now) === JSON.stringify(expected)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(await page.locator(".gutter .hl").allTextContents(), expected);
    };
    let dialogs = 0;
    page.on("dialog", (d) => { dialogs++; d.dismiss(); });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));

    // The form.
    const home = await page.goto(url + "/");
    assert.equal(home.status(), 200);
    assert.match(home.headers()["content-security-policy"], /script-src 'self'/);
    assert.equal(await page.getAttribute("#expire option[selected]", "value"), "never");
    await page.screenshot({ path: path.join(outDir, "home.png"), fullPage: true });

    const payload = "<script>window.__pwned = 1; alert('pwned')</script>\n" +
                    "<img src=x onerror=\"window.__pwned = 2\">\n<b>not bold</b> & done";
    await page.fill("#content", payload);
    await page.selectOption("#expire", "1h");
    const kCreated = /\/created\/[A-Za-z0-9]{7}#token=[0-9a-f]{32}$/;
    await Promise.all([page.waitForURL(kCreated), page.click("button[type=submit]")]);
    // The created page, reached by a redirect after the POST: the link, and
    // the delete token from the address's fragment (the server never sees
    // it), in the delete command too; the paste as its own page shows it.
    const token = new URL(page.url()).hash.slice("#token=".length);
    assert.equal(await page.textContent("#token"), token);
    assert.match(await page.textContent("#delete-command"),
                 new RegExp("^PASTEBIN_DELETE_TOKEN=" + token + " pastebin delete " + url +
                            "/[A-Za-z0-9]{7}$"));
    assert.equal(await page.isVisible("#token-field"), false, "the form has its token");
    assert.match(await page.getAttribute("#url", "href"), /\/[A-Za-z0-9]{7}$/);
    assert.equal(await page.textContent("#paste"), payload);
    assert.equal(await page.locator(".gutter span").count(), 3);
    await page.waitForSelector("#paste[data-shown-as]");
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    // Reloading it posts nothing again (no second paste, no "Confirm Form
    // Resubmission"): the same page, the same token.
    const posts = [];
    const onRequest = (r) => { if (r.method() === "POST") posts.push(r.url()); };
    page.on("request", onRequest);
    await page.reload();
    page.off("request", onRequest);
    assert.deepEqual(posts, []);
    assert.equal(await page.textContent("#token"), token);
    const createdPng = await shoot("created.png");
    assert.ok(ink(createdPng, await box("#token")) > 0.05, "the token is drawn on the page");
    assert.ok(ink(createdPng, await box("#paste")) > 0.02, "the paste is drawn below it");
    await Promise.all([
      page.waitForURL(/\/[A-Za-z0-9]{7}$/),
      page.click("#url"),
    ]);

    // The paste's page: the text exactly, nothing of it run or rendered.
    const link = new URL(page.url()).pathname.slice(1);
    // Forms send line breaks as CRLF; HTML shows them as LF.
    const sent = payload.replace(/\n/g, "\r\n");
    assert.equal(await page.textContent("#paste"), payload);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(dialogs, 0);
    assert.equal(await page.locator("#paste b").count(), 0);
    assert.equal(await page.locator("#paste img").count(), 0);
    assert.match(await page.textContent(".bar .muted"), /expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    assert.ok(await page.isVisible("#copy"), "the copy button shows once our script runs");
    // Sizes as people say them, the CLI's way.
    assert.equal(await page.textContent("#size"), Buffer.byteLength(sent) + " B");
    // Copy link: the paste's link, as the page was reached by.
    await page.click("#copy-link");
    assert.equal(await clipboard(), url + "/" + link);
    assert.equal(await page.textContent("#copy-link"), "link copied");
    await page.waitForSelector("#paste[data-shown-as]");  // the worker has answered
    assert.deepEqual(errors, []);
    await page.screenshot({ path: path.join(outDir, "paste-view.png"), fullPage: true });

    // The QR code of the paste's link, as the page draws it, scans back to
    // the link (zbarimg, when installed, reads the screenshot).
    await page.click("#qr summary");
    const qrPng = path.join(outDir, "qr.png");
    await page.locator("#qr svg").screenshot({ path: qrPng });
    try {
      const scanned = execFileSync("zbarimg", ["--quiet", "--raw", qrPng]).toString().trim();
      assert.equal(scanned, url + "/" + link);
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
    }

    // The raw link serves the same bytes.
    const raw = await page.request.get(url + "/raw/" + link);
    assert.equal(await raw.text(), sent);

    // A short link takes the browser where it points.
    const created = await page.request.post(url + "/api/v1/link",
                                            { data: { url: url + "/raw/" + link } });
    assert.equal(created.status(), 201);
    const short = (await created.json()).url;
    await page.goto(short);
    assert.equal(page.url(), url + "/raw/" + link);

    // Code: highlighted by its link's extension, lines numbered, a range
    // marked from the URL, wrap toggled, a download link.
    const code = "import os\n\ndef main():\n    for name in os.listdir('.'):\n" +
                 "        print(name)  # list\n\nmain()\n";
    const made = await page.request.post(url + "/api/v1/paste", { data: { paste_contents: code } });
    const codeLink = (await made.json()).shortlink;
    await page.goto(url + "/" + codeLink + ".py#L3-L5");
    // Highlighted in a worker: the page says what it shows the paste as.
    await page.waitForSelector("#paste[data-shown-as]");
    assert.equal(await page.getAttribute("#paste", "data-shown-as"), "py");
    assert.equal(await page.$eval("#shown-as select", (s) => s.value), "py");
    assert.ok(await page.locator("#paste .hljs-keyword").count() >= 3, "keywords highlighted");
    assert.equal(await page.textContent("#paste"), code);
    await marked(["3", "4", "5"]);
    assert.equal(await page.locator(".code .band").count(), 1);
    assert.equal(await page.getAttribute("#download", "download"), codeLink + ".py");
    // A click on a number marks its line; a shift-click, the lines from the
    // one marked to it, as GitHub does (not a new window).
    await page.click("#L2");
    await page.waitForURL((u) => u.hash === "#L2", { timeout: 5000 });
    const pagesBefore = context.pages().length;
    await page.click("#L6", { modifiers: ["Shift"] });
    await page.waitForURL((u) => u.hash === "#L2-L6", { timeout: 5000 });
    assert.equal(context.pages().length, pagesBefore, "no window opened");
    await marked(["2", "3", "4", "5", "6"]);
    // The marked lines are drawn tinted: a pixel in the band is yellower
    // than one of an unmarked line, on the screenshot.
    const codePng = await shoot("code.png");
    const pre = await box("#paste"), l1 = await box("#L1"), band = await box(".code .band");
    const inBand = codePng.at(pre.x + pre.width - 8, band.y + band.height / 2);
    const outside = codePng.at(pre.x + pre.width - 8, l1.y + l1.height / 2);
    assert.ok(inBand[2] < outside[2] - 20 && inBand[0] > inBand[2] + 20,
              "band " + inBand + " vs " + outside);
    // The text column takes the window's width.
    await page.setViewportSize({ width: 1600, height: 900 });
    const wide = await box("#paste");
    assert.ok(wide.x + wide.width > 1600 - 40, "the paste is " + wide.width + " px wide at 1600");
    const widePng = await shoot("code-wide.png");
    const edge = widePng.at(wide.x + wide.width - 0.5, wide.y + wide.height / 2);
    assert.notDeepEqual(edge, widePng.at(wide.x + wide.width + 6, wide.y + wide.height / 2),
                        "the text column's border is drawn near the window's edge");
    await page.setViewportSize({ width: 1280, height: 800 });
    // Every highlighted word is readable, light and dark: at least 4.5:1
    // against what is behind it (WCAG AA), in the styles and on the screen.
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const words = await page.evaluate(() => {
        const rgb = (s) => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
        const behind = (e) => {
          for (; e; e = e.parentElement) {
            const bg = getComputedStyle(e).backgroundColor;
            if (!/rgba\(.*, 0\)$/.test(bg) && bg !== "transparent") return rgb(bg);
          }
          return [255, 255, 255];
        };
        return [...document.querySelectorAll("#paste [class^=hljs-]")].map((e) => {
          const r = e.getBoundingClientRect();
          return { kind: e.className, text: e.textContent, colour: rgb(getComputedStyle(e).color),
                   background: behind(e), rect: { x: r.x, y: r.y, width: r.width, height: r.height } };
        });
      });
      assert.ok(words.length >= 5, "highlighted words: " + words.length);
      const png = await shoot("code-" + scheme + ".png");
      for (const w of words) {
        const k = contrast(w.colour, w.background);
        assert.ok(k >= 4.5, scheme + ": " + w.kind + " '" + w.text + "' " + w.colour + " on " +
                  w.background + " is " + k.toFixed(2) + ":1");
        // On the screen, words only: a lone '.' is two pixels, and whether
        // one of them is drawn in full colour depends on where it falls
        // between pixels (4.09:1 once, passing the other times). Its
        // colour is checked above, as every token's.
        if (!/[A-Za-z0-9]/.test(w.text)) continue;
        const drawn = strongestInk(png, w.rect);
        assert.ok(drawn.contrast >= 4.5, scheme + ": " + w.kind + " '" + w.text + "' drawn at " +
                  drawn.contrast.toFixed(2) + ":1");
      }
      const page0 = background(png, { x: 0, y: 0, width: 1280, height: 40 });
      assert.ok(scheme === "dark" ? page0[0] < 60 : page0[0] > 200, scheme + " page: " + page0);
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.click("#wrap");
    assert.ok(await page.locator(".code.wrap").count() === 1, "wrap toggles");
    // Wrapped, long lines take several rows and each number stays beside
    // its line (and is still its anchor).
    const longPaste = await page.request.post(url + "/api/v1/paste", { data: { paste_contents:
        "short\n" + "a long line ".repeat(300) + "\nthird line\nfourth\n" } });
    const longLink = (await longPaste.json()).shortlink;
    await page.goto(url + "/" + longLink + "?lang=plaintext");
    await page.click("#wrap");
    const rows = await page.evaluate(() => {
      const text = document.querySelector("#paste code").firstChild;
      const range = document.createRange();
      const at = text.data.indexOf("third");
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      const pre = document.querySelector("#paste");
      const number = document.createRange();
      number.selectNodeContents(document.getElementById("L3").firstChild);
      return { third: range.getBoundingClientRect().top, l3: number.getBoundingClientRect().top,
               l2: document.getElementById("L2").getBoundingClientRect().height,
               line: parseFloat(getComputedStyle(pre).lineHeight),
               overflow: pre.scrollWidth - pre.clientWidth,
               numbers: document.querySelectorAll(".gutter span").length };
    });
    assert.ok(Math.abs(rows.third - rows.l3) < 2, "line 3 at " + rows.third + ", its number at " +
              rows.l3);
    assert.ok(rows.l2 > 3 * rows.line, "line 2's number is as tall as its rows: " + rows.l2);
    assert.equal(rows.overflow, 0);
    assert.equal(rows.numbers, 4);
    const wrapPng = await shoot("wrap.png");
    assert.ok(ink(wrapPng, await box("#L3")) > 0.05, "the number 3 is drawn");
    await page.click("#L3");
    await marked(["3"]);
    await page.click("#wrap");
    assert.equal(await page.locator(".code.wrap").count(), 0);
    // A long paste is laid out in blocks, only near the view: a number far
    // down sits beside its line, unwrapped and wrapped, once scrolled to.
    let many = "";
    for (let i = 1; i <= 1800; i++) many += "line " + i + (i % 7 ? "" : " " + "long ".repeat(60)) + "\n";
    const manyPaste = await page.request.post(url + "/api/v1/paste",
                                              { data: { paste_contents: many } });
    await page.goto(url + "/" + (await manyPaste.json()).shortlink + "?lang=plaintext#L1234");
    await marked(["1234"]);
    // Where line n's number and the line (whose text is line) are drawn.
    const beside = (n, line) => page.evaluate(([n, line]) => {
      const number = document.createRange();
      number.selectNodeContents(document.getElementById("L" + n).firstChild);
      const walk = document.createTreeWalker(document.querySelector("#paste code"),
                                             NodeFilter.SHOW_TEXT);
      for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        const at = node.data.indexOf(line + "\n");
        if (at < 0) continue;
        const text = document.createRange();
        text.setStart(node, at);
        text.setEnd(node, at + 4);
        return { number: number.getBoundingClientRect().top,
                 text: text.getBoundingClientRect().top,
                 blocks: document.querySelectorAll("#paste .c").length };
      }
      return null;
    }, [n, line]);
    let far = await beside(1234, "line 1234");
    assert.equal(far.blocks, 4);
    assert.ok(Math.abs(far.number - far.text) < 2, "unwrapped: " + JSON.stringify(far));
    assert.equal(await page.textContent("#paste"), many);
    await page.click("#wrap");
    await page.locator("#L1234").scrollIntoViewIfNeeded();
    far = await beside(1234, "line 1234");
    assert.ok(Math.abs(far.number - far.text) < 2, "wrapped: " + JSON.stringify(far));
    // A long page arrives in pieces, and is drawn before its lines are: the
    // numbers, alone so far, are as wide as they will be beside the lines
    // (numbers first drawn at the window's far edge jump left: a layout
    // shift of the whole view).
    const manyLink = url + "/" + (await manyPaste.json()).shortlink;
    // Past line 1,000 the page sends plain numbers, a block of 500 at a
    // time made anchors by app.js: a click on one marks its line, a
    // shift-click on one in another plain block the lines between.
    await page.goto(manyLink);
    assert.equal(await page.locator("#L1001, #L1600").count(), 0, "plain numbers past 1,000");
    const clickLine = async (n, modifiers) => {
      const block = page.locator("pre.gutter .c").nth(Math.floor((n - 1) / 500));
      // Laid out once in view (until then it is as tall as app.css guesses).
      const drawn = () => page.evaluate(() => new Promise(
          (done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      await block.scrollIntoViewIfNeeded();
      await drawn();
      const rows = (await block.textContent()).split("\n").filter((t) => t !== "");
      const row = rows.indexOf(String(n));
      let b = await block.boundingBox();
      // The block is taller than the window: the number's row brought in.
      await page.evaluate((dy) => window.scrollBy(0, dy),
                          b.y + (row + 0.5) * b.height / rows.length - 300);
      await drawn();
      b = await block.boundingBox();
      await page.mouse.move(b.x + b.width / 2, b.y + (row + 0.5) * b.height / rows.length);
      if (modifiers) await page.keyboard.down(modifiers);
      await page.mouse.down();
      await page.mouse.up();
      if (modifiers) await page.keyboard.up(modifiers);
    };
    await clickLine(1600);
    await page.waitForURL((u) => u.hash === "#L1600", { timeout: 5000 });
    await marked(["1600"]);
    await clickLine(1203, "Shift");
    await page.waitForURL((u) => u.hash === "#L1203-L1600", { timeout: 5000 });
    assert.equal((await page.locator(".gutter .hl").allTextContents()).length, 398);
    await page.goto(manyLink);
    const gutterWidth = () => page.evaluate(() =>
        document.querySelector("pre.gutter").getBoundingClientRect().width);
    const whole = await gutterWidth();
    const html = await (await page.request.get(manyLink, { headers: { Accept: "text/html" } })).text();
    const numbersOnly = html.slice(0, html.indexOf('<pre id="paste"'));
    assert.ok(numbersOnly.includes("\n1800\n"), "the cut keeps every number");
    await page.route(manyLink, (route) => route.fulfill({ contentType: "text/html", body: numbersOnly }));
    await page.goto(manyLink);
    const alone = await gutterWidth();
    await page.unroute(manyLink);
    assert.ok(whole < 100 && Math.abs(alone - whole) < 1,
              "the numbers' column alone is " + alone + " px wide, beside the lines " + whole);
    // Without a language highlight.js guesses.
    const json = await page.request.post(url + "/api/v1/paste",
        { data: { paste_contents: '{"name": "pastebin", "tags": [1, 2, 3], "ok": true}\n' } });
    await page.goto(url + "/" + (await json.json()).shortlink);
    await page.waitForSelector("#paste[data-shown-as]");
    assert.equal(await page.getAttribute("#paste", "data-shown-as"), "json");
    // Ordinary text is not guessed into a language: plain text.
    const log = await page.request.post(url + "/api/v1/paste", { data: { paste_contents:
        "[    0.000000] Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org)\n" +
        "[    0.004000] Command line: BOOT_IMAGE=/vmlinuz root=UUID=1234 ro quiet\n" +
        "total 8\ndrwxr-xr-x 2 root root 4096 Dec  5 03:00 .\n" } });
    await page.goto(url + "/" + (await log.json()).shortlink);
    await page.waitForSelector("#paste[data-shown-as]");
    assert.equal(await page.getAttribute("#paste", "data-shown-as"), "");
    assert.equal(await page.$eval("#shown-as select", (s) => s.value), "plaintext");
    // A big paste (2 MB log) is readable at once: no guessing, no highlighting
    // on the page's thread, and it says so. Choosing a language reloads with it.
    let big = "";
    for (let i = 0; big.length < 2 * 1024 * 1024; i++) big += "line " + i + " of a long log\n";
    const bigMade = await page.request.post(url + "/api/v1/paste", { data: { paste_contents: big } });
    const bigLink = (await bigMade.json()).shortlink;
    await page.goto(url + "/" + bigLink);
    await page.waitForSelector("#paste[data-shown-as]");
    assert.match(await page.textContent("#shown-as"), /too large to highlight/);
    assert.equal(await page.locator("#paste .hljs-number").count(), 0);
    assert.equal((await page.textContent("#paste")).length, big.length);
    // On the screen: the first lines drawn, numbered, before anything else.
    const bigPng = await shoot("big-log.png");
    const firstRows = await box("#paste");
    assert.ok(ink(bigPng, { x: firstRows.x, y: firstRows.y, width: firstRows.width,
                            height: 200 }) > 0.02, "the log's first lines are drawn");
    assert.ok(ink(bigPng, await box("#L1")) > 0.05, "its first line is numbered");
    await Promise.all([page.waitForURL(/lang=yaml/), page.selectOption("#shown-as select", "yaml")]);
    await page.waitForSelector("#paste[data-shown-as]");

    // End-to-end encrypted: sealed by the CLI, opened here with the key in
    // the fragment (WebCrypto); with a password, after it is typed.
    const cli = path.join(binDir, "pastebin");
    const cliHome = path.join(dataDir, "home");
    const sealedUrl = execFileSync(cli, ["--server", url, "put", "--encrypt"],
        { input: "meet at noon\n", env: { HOME: cliHome, PATH: process.env.PATH } }).toString().trim();
    await page.goto(sealedUrl);
    await page.waitForSelector("#paste[data-opened=yes]");
    assert.equal(await page.textContent("#paste"), "meet at noon\n");
    assert.match(await page.textContent("#encrypted"), /Decrypted in this browser/);
    const sealedPng = await shoot("encrypted.png");
    assert.ok(ink(sealedPng, await box("#paste")) > 0.02, "the opened text is drawn");
    // Size, raw and download are the text's, not the ciphertext's.
    assert.equal(await page.textContent("#size"), "13 B");
    assert.match(await page.getAttribute("#raw", "href"), /^blob:/);
    const [saved] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    assert.equal(fs.readFileSync(await saved.path(), "utf8"), "meet at noon\n");
    // A line's number keeps the key: the address still opens it, with the
    // line marked, after a reload, and pastebin get reads it too.
    const key = new URL(sealedUrl).hash.slice(1);
    await page.click("#L1");
    await page.waitForURL((u) => u.hash === "#" + key + "&L1", { timeout: 5000 });
    await page.reload();
    await page.waitForSelector("#paste[data-opened=yes]");
    await marked(["1"]);
    assert.equal(execFileSync(cli, ["--server", url, "get", page.url()],
                              { env: { HOME: cliHome, PATH: process.env.PATH } }).toString(),
                 "meet at noon\n");
    // Copy link copies the link with its key (and no line).
    await page.click("#copy-link");
    assert.equal(await clipboard(), sealedUrl);
    // A long one opens laid out as the server lays out a plain paste: in
    // blocks of 500 lines, its first 1,000 numbers anchors, a number past
    // them made one when the address marks it.
    let longText = "";
    for (let i = 1; i <= 1550; i++) longText += "sealed line " + i + "\n";
    const longUrl = execFileSync(cli, ["--server", url, "put", "--encrypt"],
        { input: longText.slice(0, -1), env: { HOME: cliHome, PATH: process.env.PATH } })
        .toString().trim();
    await page.goto(longUrl + "&L1100");
    await page.waitForSelector("#paste[data-opened=yes]");
    assert.equal(await page.textContent("#paste"), longText.slice(0, -1), "no newline added");
    assert.equal(await page.locator("#paste .c").count(), 4);
    assert.equal(await page.locator("pre.gutter .c").count(), 4);
    assert.equal(await page.getAttribute("pre.gutter", "class"), "gutter d4");
    await marked(["1100"]);
    assert.equal(await page.locator("#L1550").count(), 0, "a plain number until needed");
    const sealedBeside = await beside(1100, "sealed line 1100");
    assert.ok(Math.abs(sealedBeside.number - sealedBeside.text) < 2,
              "the number beside its line: " + JSON.stringify(sealedBeside));
    const pwUrl = execFileSync(cli, ["--server", url, "put", "--encrypt", "--password"],
        { input: "behind a password\n",
          env: { HOME: cliHome, PATH: process.env.PATH, PASTEBIN_PASSWORD: "hunter2" } })
        .toString().trim();
    await page.goto(pwUrl);
    // Until it is opened, nothing offers the ciphertext as the paste.
    for (const id of ["#raw", "#download", "#copy", "#wrap"]) {
      assert.equal(await page.isVisible(id), false, id + " waits for the password");
    }
    assert.equal(await page.textContent("#size"), "encrypted");
    await page.fill("#password", "wrong");
    await page.click("#open-sealed");
    await page.locator("#encrypted", { hasText: "do not open" }).waitFor();
    await page.fill("#password", "hunter2");
    await page.click("#open-sealed");
    await page.waitForSelector("#paste[data-opened=yes]");
    assert.equal(await page.textContent("#paste"), "behind a password\n");
    assert.ok(await page.isVisible("#download"));
    // A paste that names more rounds than pastebin makes is not opened: the
    // page says why instead of computing them (999,999,999: minutes).
    const greedy = await page.request.post(url + "/api/v1/paste", { data: { paste_contents:
        "pastebin-encrypted:v1:999999999:" + "A".repeat(22) + ":" + "B".repeat(56) + "\n" } });
    await page.goto(url + "/" + (await greedy.json()).shortlink + "#" + "C".repeat(43));
    await page.locator("#encrypted", { hasText: "asks for 999999999 password rounds" }).waitFor();
    assert.match(await page.textContent("#encrypted"), /opens at most 2000000, so that a link/);
    assert.equal(await page.isVisible("#unlock"), false);

    // A missing paste: a page saying so, not JSON.
    const missing = await page.goto(url + "/Nope123");
    assert.equal(missing.status(), 404);
    assert.equal(await page.textContent("#error"), "Not found");
    const missingPng = await shoot("not-found.png", { fullPage: true });
    assert.ok(ink(missingPng, await box("#error")) > 0.005, "the page says it is not found");
    assert.ok(ink(missingPng, await box("#message")) > 0.005, "and why");
    // A slash too many goes where it meant; an unknown page is a page for a
    // visitor, not a pointer to the API's manual.
    await page.goto(url + "/" + codeLink + "/");
    assert.equal(new URL(page.url()).pathname, "/" + codeLink);
    assert.equal(await page.isVisible("#paste"), true);
    const nowhere = await page.goto(url + "/no/such/page");
    assert.equal(nowhere.status(), 404);
    assert.match(await page.textContent("body"), /there is no page at \/no\/such\/page/);
    assert.doesNotMatch(await page.textContent("body"), /pasted\(8\)/);

    // The created page's button deletes the paste.
    await page.goto(url + "/");
    await page.fill("#content", "short-lived");
    await Promise.all([page.waitForURL(kCreated), page.click("button[type=submit]")]);
    const doomed = await page.getAttribute("#url", "href");
    // It asks first: saying no keeps the paste. (Only this confirm is
    // answered here; any other dialog is still counted and dismissed.)
    const asked = [];
    page.removeAllListeners("dialog");
    page.on("dialog", (d) => {
      if (!/cannot be undone/.test(d.message())) { dialogs++; return d.dismiss(); }
      asked.push(d.message());
      return asked.length === 1 ? d.dismiss() : d.accept();
    });
    await page.click("#delete button");
    assert.equal((await page.request.get(doomed)).status(), 200);
    await Promise.all([page.waitForURL(/\/form\/delete$/), page.click("#delete button")]);
    assert.equal(asked.length, 2);
    assert.match(await page.textContent("#deleted"), /is deleted/);
    assert.equal((await page.request.get(doomed)).status(), 404);

    // Burn after reading: the form's checkbox, a page that asks first (a
    // preview must not burn it), the one reading, then gone.
    await page.goto(url + "/");
    await page.fill("#content", "for one reading only");
    await page.check("#burn");
    await Promise.all([page.waitForURL(kCreated), page.click("button[type=submit]")]);
    const once = await page.getAttribute("#url", "href");
    assert.match(await page.textContent("#burns"), /burns after reading/);
    assert.equal(await page.locator("#paste").count(), 0, "its text is for its one reader");
    await page.reload();  // and looking again burns nothing
    await page.goto(once);
    assert.match(await page.textContent("#burn"), /will be deleted when you open it/);
    await page.screenshot({ path: path.join(outDir, "burn-ask.png"), fullPage: true });
    await page.goto(once);  // asking again burns nothing
    await Promise.all([page.waitForURL(/\/burn\/[A-Za-z0-9]{7}$/), page.click("#open")]);
    assert.equal(await page.textContent("#paste"), "for one reading only");
    assert.match(await page.textContent("#burned"), /deleted now/);
    await page.screenshot({ path: path.join(outDir, "burn-read.png"), fullPage: true });
    assert.equal((await page.request.get(once)).status(), 404);
    assert.deepEqual(errors, []);
    console.log("browser test passed; screenshots in " + outDir);
  } finally {
    if (browser) await browser.close();
    child.kill("SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
