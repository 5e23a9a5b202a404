// Every page in Lighthouse (pinned in package.json, run against Debian's
// chromium, headless): the front page, a plain-text paste, a highlighted
// code paste, a 1 MB log, a burn-after-reading paste's notice, an encrypted
// paste opened with its key, the created page and a 404 page — each on a
// desktop in the light and the dark colour scheme, and at a phone's width
// (Lighthouse's mobile emulation, 412 px). Fails below 100 in
// accessibility and best practices or 95 in performance (a page short in
// its first run: in the median of three), printing the audits that
// failed; prints every score, SEO's too (not asserted: pastes
// say noindex on purpose). Exits 77 (ctest: skipped) when chromium cannot
// run here.
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";
import * as chromeLauncher from "chrome-launcher";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CHROMIUM, skip, startDaemon } from "./harness.mjs";

const binDir = process.env.PASTEBIN_BIN_DIR;
const kMinimum = { accessibility: 1, "best-practices": 1, performance: 0.95 };
const kRuns = 3;  // a page short in its first run: the median of these

// The pages, made on a fresh pasted through its API, its form and the CLI.
async function makePages(url, home) {
  const put = async (body) => {
    const r = await fetch(url + "/api/v1/paste", { method: "POST",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (r.status !== 201) throw new Error("creating a paste: " + r.status + " " + await r.text());
    return url + "/" + (await r.json()).shortlink;
  };
  let log = "";
  for (let i = 0; log.length < 1000 * 1000; i++) {
    log += "2026-12-05T06:" + String(i % 60).padStart(2, "0") + ":00Z worker " + (i % 7) +
           ": handled request " + i + " in " + (i % 97) + " ms\n";
  }
  const form = await fetch(url + "/form", { method: "POST", redirect: "manual",
      headers: { "Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded" },
      body: "content=" + encodeURIComponent("notes from the form\nsecond line\n") });
  if (form.status !== 303) throw new Error("the form answered " + form.status);
  const sealed = execFileSync(path.join(binDir, "pastebin"), ["--server", url, "put", "--encrypt"],
      { input: "a secret, opened here\n", env: { HOME: home, PATH: process.env.PATH } })
      .toString().trim();
  return [
    ["home", url + "/"],
    ["plain text", await put({ paste_contents: "Meeting notes\n\n- ship it\n- test it\n",
                               language: "plaintext" })],
    ["code", await put({ paste_contents: "import os\n\n\ndef main():\n" +
                         "    for name in sorted(os.listdir('.')):\n        print(name)\n\n\n" +
                         "if __name__ == '__main__':\n    main()\n", language: "py" })],
    ["1 MB log", await put({ paste_contents: log })],
    ["burn notice", await put({ paste_contents: "read me once\n", burn_after_reading: true })],
    ["encrypted", sealed],
    ["created", form.headers.get("location")],
    ["404", url + "/Nope123"],
  ];
}

// A 404 page is answered with 404 on purpose; Chromium logs that status as
// a console error, which best practices would count against the page. That
// one message, and nothing else, is not counted there.
function ownStatusIsNoError(config) {
  return {
    extends: "lighthouse:default",
    settings: config ? config.settings : undefined,
    audits: [{ path: "errors-in-console",
               options: { ignoredPatterns: ["the server responded with a status of 404"] } }],
  };
}

async function main() {
  if (!binDir) throw new Error("PASTEBIN_BIN_DIR is not set");
  if (!fs.existsSync(CHROMIUM)) skip("chromium is not installed (Debian package chromium)");
  process.env.CHROME_PATH = CHROMIUM;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pastebin-lighthouse-"));
  const { child, url } = await startDaemon(binDir, path.join(dataDir, "data"));
  const failures = [];
  try {
    const pages = await makePages(url, path.join(dataDir, "home"));
    // A variant's name, a page's name: to look at one.
    const only = process.env.LIGHTHOUSE_ONLY, onlyPage = process.env.LIGHTHOUSE_PAGE;
    const variants = [
      { name: "desktop, light", flags: [], config: desktopConfig },
      { name: "desktop, dark", flags: ["--force-dark-mode"], config: desktopConfig },
      { name: "phone, light", flags: [], config: undefined },  // Lighthouse's mobile default
    ];
    for (const variant of variants.filter((v) => !only || v.name === only)) {
      let chrome;
      try {
        chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            // Nothing but the page: this machine refuses other connections.
            "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", ...variant.flags] });
      } catch (e) {
        skip("chromium cannot start here: " + e.message.split("\n")[0]);
      }
      try {
        for (const [name, address] of pages.filter(([n]) => !onlyPage || n === onlyPage)) {
          const started = Date.now();
          const audit = async () => {
            const run = await lighthouse(address, {
              port: chrome.port, output: "json", logLevel: "error", ignoreStatusCode: true,
              onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
            }, name === "404" ? ownStatusIsNoError(variant.config) : variant.config);
            if (run.lhr.runtimeError) throw new Error(name + ": " + run.lhr.runtimeError.message);
            return run.lhr;
          };
          const scores = (r) => ["performance", "accessibility", "best-practices", "seo"]
              .map((c) => c + " " + Math.round(r.categories[c].score * 100)).join(", ");
          const shortOf = (r) =>
              Object.entries(kMinimum).filter(([c, least]) => !(r.categories[c].score >= least));
          let lhr = await audit();
          // Performance is timed, and a busy machine's one run may fall
          // short by chance: a page short in one run is judged, as
          // Lighthouse advises (docs/variability.md), by the median of
          // kRuns, which its own computeMedianRun picks.
          if (shortOf(lhr).length > 0) {
            const runs = [lhr];
            while (runs.length < kRuns) runs.push(await audit());
            console.log(variant.name + ", " + name + ": " + runs.length + " runs, performance " +
                        runs.map((r) => Math.round(r.categories.performance.score * 100))
                            .join(", "));
            lhr = computeMedianRun(runs);
          }
          const line = scores(lhr);
          console.log(variant.name + ", " + name + ": " + line + " (" +
                      ((Date.now() - started) / 1000).toFixed(1) + " s)");
          const short = shortOf(lhr);
          if (short.length === 0) continue;
          // What pulled each short category down.
          const failed = [];
          for (const [c] of short) {
            for (const ref of lhr.categories[c].auditRefs) {
              const a = lhr.audits[ref.id];
              if (ref.weight > 0 && a.score !== null && a.score < 1) {
                failed.push("  " + c + ": " + a.id + " (" + a.score + ") " + a.title +
                            (a.displayValue ? ": " + a.displayValue : "") +
                            (a.explanation ? " — " + a.explanation : ""));
                for (const item of (a.details && a.details.items) || []) {
                  if (item.node) failed.push("      " + item.node.snippet);
                }
              }
            }
          }
          // A layout shift: which elements moved, and what Lighthouse blames.
          const shifts = lhr.audits["layout-shifts"];
          for (const item of (shifts && shifts.details && shifts.details.items) || []) {
            failed.push("      shift " + item.score.toFixed(3) + ": " +
                        (item.node ? item.node.snippet : "(no element)") +
                        ((item.subItems && item.subItems.items) || [])
                            .map((s) => " [" + s.cause + "]").join(""));
          }
          failures.push(variant.name + ", " + name + " (" + address + "): " + line + "\n" +
                        failed.join("\n"));
        }
      } finally {
        await chrome.kill();
      }
    }
  } finally {
    child.kill("SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error("below 100 accessibility, 100 best practices or 95 performance:\n" +
                  failures.join("\n"));
    process.exit(1);
  }
  console.log("lighthouse test passed");
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
