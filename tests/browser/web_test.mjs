// The web pages in a real browser: Debian's chromium, headless, driven by
// playwright-core against a real pasted on a free port. Fills the form,
// submits, sees the link and delete token, goes on to the paste's page,
// checks the text, checks that a <script> payload did not run, follows a
// short link, sees a missing paste's page, deletes with the created page's
// button, and saves screenshots. Exits 77 (ctest: skipped) when chromium cannot run here.
import { chromium } from "playwright-core";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import assert from "node:assert/strict";

const CHROMIUM = "/usr/bin/chromium";
const binDir = process.env.PASTEBIN_BIN_DIR;
const outDir = process.env.BROWSER_OUT_DIR || os.tmpdir();

function skip(why) {
  console.error("SKIPPED: " + why);
  process.exit(77);
}

function startDaemon(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(binDir, "pasted"),
                        ["--listen", "127.0.0.1:0", "--data-dir", dataDir],
                        { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/\S+)/);
      if (m) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error("pasted exited (" + code + "):\n" + log)));
  });
}

async function main() {
  if (!binDir) throw new Error("PASTEBIN_BIN_DIR is not set");
  if (!fs.existsSync(CHROMIUM)) skip("chromium is not installed (Debian package chromium)");
  fs.mkdirSync(outDir, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pastebin-browser-"));
  const { child, url } = await startDaemon(path.join(dataDir, "data"));
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
    const page = await browser.newPage();
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
    await Promise.all([
      page.waitForURL(/\/form$/),
      page.click("button[type=submit]"),
    ]);
    // The created page: the link, and the delete token shown this once.
    assert.match(await page.textContent("#token"), /^[0-9a-f]{32}$/);
    assert.match(await page.getAttribute("#url", "href"), /\/[A-Za-z0-9]{7}$/);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.screenshot({ path: path.join(outDir, "created.png"), fullPage: true });
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
    assert.deepEqual(await page.locator(".gutter a.hl").allTextContents(), ["3", "4", "5"]);
    assert.equal(await page.locator(".code .band").count(), 1);
    assert.equal(await page.getAttribute("#download", "download"), codeLink + ".py");
    await page.screenshot({ path: path.join(outDir, "code.png"), fullPage: true });
    await page.click("#wrap");
    assert.ok(await page.locator(".code.wrap").count() === 1, "wrap toggles");
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
    await page.screenshot({ path: path.join(outDir, "encrypted.png"), fullPage: true });
    const pwUrl = execFileSync(cli, ["--server", url, "put", "--encrypt", "--password"],
        { input: "behind a password\n",
          env: { HOME: cliHome, PATH: process.env.PATH, PASTEBIN_PASSWORD: "hunter2" } })
        .toString().trim();
    await page.goto(pwUrl);
    await page.fill("#password", "wrong");
    await page.click("#open-sealed");
    await page.locator("#encrypted", { hasText: "do not open" }).waitFor();
    await page.fill("#password", "hunter2");
    await page.click("#open-sealed");
    await page.waitForSelector("#paste[data-opened=yes]");
    assert.equal(await page.textContent("#paste"), "behind a password\n");
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
    await page.screenshot({ path: path.join(outDir, "not-found.png"), fullPage: true });
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
    await Promise.all([page.waitForURL(/\/form$/), page.click("button[type=submit]")]);
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
    await Promise.all([page.waitForURL(/\/form$/), page.click("button[type=submit]")]);
    const once = await page.getAttribute("#url", "href");
    assert.match(await page.textContent("#burns"), /burns after reading/);
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
