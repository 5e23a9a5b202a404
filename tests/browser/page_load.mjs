// For scripts/bench.py --only page-load: how long a paste's page takes in
// Debian's chromium until it is readable and says what it shows the paste
// as, as it is and with ?lang=plaintext (the reference).
//   node page_load.mjs URL '{"NAME": "LINK", ...}' RUNS
// Prints one JSON line per paste: {"name", "as_is": [ms...], "plain": [ms...]}.
import { chromium } from "playwright-core";

const [url, linksJson, runsArg] = process.argv.slice(2);
const links = JSON.parse(linksJson);
const runs = +runsArg || 5;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
});
const page = await browser.newPage();
async function load(target) {
  const t0 = Date.now();
  await page.goto(target, { waitUntil: "load" });
  await page.waitForSelector("#paste[data-shown-as]", { timeout: 600000 });
  return Date.now() - t0;
}
for (const [name, link] of Object.entries(links)) {
  const asIs = [], plain = [];
  for (let i = 0; i < runs; i++) {  // alternating, on a shared machine
    asIs.push(await load(url + "/" + link));
    plain.push(await load(url + "/" + link + "?lang=plaintext"));
  }
  console.log(JSON.stringify({ name, as_is: asIs, plain }));
}
await browser.close();
