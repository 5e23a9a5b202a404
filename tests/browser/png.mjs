// Reads the screenshots the browser tests take, so that they check what
// the page looked like and not only what its DOM said: a PNG (8-bit RGB or
// RGBA, not interlaced, as Chromium writes them) into pixels, and two
// measures of a rectangle of them.
import zlib from "node:zlib";

export function decodePng(buffer) {
  const signature = "89504e470d0a1a0a";
  if (buffer.subarray(0, 8).toString("hex") !== signature) throw new Error("not a PNG");
  let width = 0, height = 0, channels = 0;
  const data = [];
  for (let at = 8; at < buffer.length;) {
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString("latin1", at + 4, at + 8);
    const body = buffer.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8], colour = body[9], interlace = body[12];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) {
        throw new Error("PNG kind not read here: depth " + depth + ", colour " + colour);
      }
      channels = colour === 6 ? 4 : 3;
    } else if (type === "IDAT") {
      data.push(body);
    } else if (type === "IEND") {
      break;
    }
    at += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = v & 255;
    }
  }
  return {
    width, height,
    at(x, y) {
      const i = Math.round(y) * stride + Math.round(x) * channels;
      return [pixels[i], pixels[i + 1], pixels[i + 2]];
    },
  };
}

// WCAG's relative luminance of an [r, g, b] colour, 0 (black) to 1 (white).
export function luminance([r, g, b]) {
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

// WCAG's contrast ratio of two colours, 1 to 21.
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// Of the pixels in rect ({x, y, width, height}, CSS pixels at scale 1), the
// share that differ from its commonest colour: 0 for an empty box, more
// where text or lines are drawn.
export function ink(png, rect) {
  const counts = new Map(), seen = [];
  for (let y = Math.ceil(rect.y); y < rect.y + rect.height && y < png.height; y++) {
    for (let x = Math.ceil(rect.x); x < rect.x + rect.width && x < png.width; x++) {
      const key = png.at(x, y).join(",");
      seen.push(key);
      counts.set(key, (counts.get(key) || 0) + 1);
    }
  }
  if (seen.length === 0) return 0;
  const commonest = Math.max(...counts.values());
  return 1 - commonest / seen.length;
}

// The commonest colour in rect: its background.
export function background(png, rect) {
  const counts = new Map();
  let best = null, most = 0;
  for (let y = Math.ceil(rect.y); y < rect.y + rect.height && y < png.height; y++) {
    for (let x = Math.ceil(rect.x); x < rect.x + rect.width && x < png.width; x++) {
      const c = png.at(x, y), key = c.join(",");
      const n = (counts.get(key) || 0) + 1;
      counts.set(key, n);
      if (n > most) { most = n; best = c; }
    }
  }
  return best;
}

// The colour in rect that stands out most from its background, and by how
// much (contrast): a word's ink, however it is smoothed at its edges.
export function strongestInk(png, rect) {
  const bg = background(png, rect);
  let best = bg, most = 1;
  for (let y = Math.ceil(rect.y); y < rect.y + rect.height && y < png.height; y++) {
    for (let x = Math.ceil(rect.x); x < rect.x + rect.width && x < png.width; x++) {
      const c = png.at(x, y), k = contrast(c, bg);
      if (k > most) { most = k; best = c; }
    }
  }
  return { colour: best, contrast: most, background: bg };
}
