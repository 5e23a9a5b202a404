// What the browser tests share: Debian's chromium, the skip that ctest
// counts as skipped (77), and a real pasted on a free port.
import { spawn } from "node:child_process";
import path from "node:path";

export const CHROMIUM = "/usr/bin/chromium";

export function skip(why) {
  console.error("SKIPPED: " + why);
  process.exit(77);
}

// pasted from binDir on 127.0.0.1, a free port, dataDir: {child, url} once
// it says it is listening.
export function startDaemon(binDir, dataDir) {
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
