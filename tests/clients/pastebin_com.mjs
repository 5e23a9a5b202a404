// Drives an unmodified pastebin.com client library against pasted and
// prints what it returned, as JSON lines, for tests/e2e/clients2_test.cc:
//   node pastebin_com.mjs pastebin-api HOST:PORT EXPIRE FILE...   (HTTPS only)
//   node pastebin_com.mjs pastebin-js  HOST:PORT EXPIRE FILE...   (over HTTP)
// Each FILE is pasted ({"url"} or {"error"}); pastebin-js also reads each
// paste back by its key ({"got"}).
import { createRequire } from "module";
import fs from "fs";

const require = createRequire(import.meta.url);
const [client, server, expire, ...files] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const failed = (e) => ({ error: e instanceof Error ? e.message : String(e) });

if (client === "pastebin-api") {
  const { PasteClient } = require("pastebin-api");
  const c = new PasteClient({ apiKey: "no-key-needed", domain: server });
  for (const f of files) {
    const code = fs.readFileSync(f, "utf8");
    try {
      say({ url: await c.createPaste({ code, expireDate: expire, format: "python", name: f }) });
    } catch (e) {
      say(failed(e));
    }
  }
} else if (client === "pastebin-js") {
  const conf = require("pastebin-js/lib/config");
  conf.net.protocol = "http://";
  conf.net.base = server + "/";
  const PastebinAPI = require("pastebin-js");
  const c = new PastebinAPI({ api_dev_key: "no-key-needed" });
  for (const f of files) {
    const text = fs.readFileSync(f, "utf8");
    try {
      const url = await c.createPaste(text, "a title", "bash", 1, expire);
      say({ url });
      const got = await c.getPaste(url.slice(url.lastIndexOf("/") + 1));
      say({ got });
    } catch (e) {
      say(failed(e));
    }
  }
} else {
  console.error("usage: node pastebin_com.mjs pastebin-api|pastebin-js HOST:PORT EXPIRE FILE...");
  process.exit(2);
}
