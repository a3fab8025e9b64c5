/*
 * gdraw-verify.js: checks a gdraw-v1 draw certificate in the browser.
 *
 * Recomputes every step of docs/PROTOCOL.md with WebCrypto (SHA-256, HMAC-SHA-256,
 * Ed25519) and BigInt: commitment, leaf list, RFC 6962 Merkle root, beacon value,
 * transcript and key, the u64 stream, the partial Fisher-Yates selection (or the
 * RFC 3797 method, with the MD5 below), the picked leaves and the signature.
 * The drand BLS pairing check is NOT done here: it is reported as not checked
 * (ok: null) and left to `python -m giveaway.verify`.
 *
 * A classic script, no dependency, no eval, no innerHTML: it works under
 * `script-src 'self'` and `require-trusted-types-for 'script'`. It exposes
 * window.GDrawVerify = {verifyCertificate, renderInto, autoRun, parseDocument}
 * and, once loaded, wires every button of the page like this one (no inline script):
 *
 *   <link rel="stylesheet" href="/static/verify/gdraw-verify.css">        (optional)
 *   <script src="/static/verify/gdraw-verify.js" defer></script>
 *   <button type="button" data-gdraw-verify
 *           data-certificate-url="/draws/ID/certificate.json"
 *           data-leaves-url="/draws/ID/leaves.txt"          (optional: else entries.leaves)
 *           data-public-key="64 hex digits or PEM"           (optional: the organiser's key)
 *           data-results-id="gdraw-verify-results">         (optional: the default shown)
 *     Verify in this browser</button>
 *   <div id="gdraw-verify-results" aria-live="polite"></div>
 *
 * A click downloads both files (same origin only), shows a progress line, then one
 * line per check (✓ passed, ✗ failed, – information or not checked here) and the
 * verdict; it sets data-gdraw-verdict="verified"|"not-verified" on the results
 * element and fires a bubbling 'gdraw-verify-done' event ({ok, results}) on the
 * button. WebCrypto needs a secure context: HTTPS, or http://127.0.0.1 / localhost.
 */
(function (global) {
  'use strict';

  const enc = new TextEncoder();
  const TAG = enc.encode('gdraw-v1');
  const TWO64 = 1n << 64n;
  const MAX_COUNT = 2 ** 32 - 1;
  const MAX_PLACES = 0xffff;
  const MAX_RFC3797_PICKS = 1 << 16;
  const CHUNK = 4096; // digests in flight at once
  const QUICKNET = {
    name: 'drand quicknet',
    chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
    genesis: 1692803367n,
    period: 3n,
  };
  const COMMIT_ONLY_WARNING =
    'This draw used no external randomness (commit-only). The seed was fixed before the ' +
    'entries were known, but the organiser, who knew the seed, could still have added or ' +
    'removed entries to choose the winner. It is weaker than a draw tied to a public beacon.';
  const SELF_EMBEDDED_NOTE =
    'the signature was checked against the public key embedded in the document itself: this ' +
    "proves the document is intact, not who signed it; check it against the organiser's " +
    'published key to prove its origin';
  const CLI = 'python -m giveaway.verify';

  // ---------------------------------------------------------------- errors, results

  /** An unusable input: the document (or leaf list) cannot be verified at all. */
  class DocumentError extends Error {
    constructor(field, reason) {
      super(`${field}: ${reason}`);
      this.field = field;
      this.reason = reason;
    }
  }

  const passed = (step, message, code) => ({ step, ok: true, message, code: code || '' });
  const failed = (step, message, code) => ({ step, ok: false, message, code: code || '' });
  const note = (step, message, code) => ({ step, ok: null, message, code: code || '' });

  // ---------------------------------------------------------------- bytes

  function hex(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }

  const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

  /** Return the bytes written as hex in `value` (either case), as parse_hex does. */
  function parseHex(value, field, length) {
    if (typeof value !== 'string') throw new DocumentError(field, 'must be a hex string');
    if (!HEX_RE.test(value)) throw new DocumentError(field, 'is not valid hex');
    const out = new Uint8Array(value.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(value.substr(2 * i, 2), 16);
    if (length !== undefined && out.length !== length) {
      throw new DocumentError(field, `must be ${length} bytes (${2 * length} hex digits), ` +
                                     `got ${out.length}`);
    }
    return out;
  }

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }

  function uint(n, size) { // n: Number or BigInt, big-endian
    const out = new Uint8Array(size);
    let v = BigInt(n);
    for (let i = size - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
    return out;
  }

  const lp = (bytes) => concat(uint(bytes.length, 2), bytes);

  function equalBytes(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const wellFormed = (s) => (typeof s.isWellFormed === 'function' ? s.isWellFormed()
                                                                  : !LONE_SURROGATE.test(s));

  function utf8(text, field) {
    if (typeof text !== 'string') throw new DocumentError(field, 'must be a string');
    if (!wellFormed(text)) throw new DocumentError(field, 'is not valid Unicode text');
    return enc.encode(text);
  }

  function lpText(text, field) {
    const data = utf8(text, field);
    if (data.length > 0xffff) throw new DocumentError(field, 'is longer than 65535 bytes');
    return lp(data);
  }

  function subtle() {
    const s = global.crypto && global.crypto.subtle;
    if (!s) {
      throw new DocumentError('browser', 'WebCrypto is not available: the page must be served ' +
                                         `over HTTPS (a secure context); or use ${CLI}`);
    }
    return s;
  }

  const sha256 = async (data) => new Uint8Array(await subtle().digest('SHA-256', data));

  const hmacKey = (key) => subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' },
                                              false, ['sign']);

  async function hmac(key, data) {
    return new Uint8Array(await subtle().sign('HMAC', await hmacKey(key), data));
  }

  // ---------------------------------------------------------------- MD5 (RFC 1321)

  const MD5_K = new Int32Array([
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
  ]);
  const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

  /** Return the 16-byte MD5 digest of `bytes` (RFC 3797 needs it; WebCrypto lacks it). */
  function md5(bytes) {
    const n = bytes.length;
    const blocks = Math.floor((n + 8) / 64) + 1;
    const buf = new Uint8Array(blocks * 64);
    buf.set(bytes);
    buf[n] = 0x80;
    const view = new DataView(buf.buffer);
    view.setUint32(buf.length - 8, (n * 8) >>> 0, true);
    view.setUint32(buf.length - 4, Math.floor(n / 0x20000000), true);
    let a0 = 0x67452301, b0 = 0xefcdab89 | 0, c0 = 0x98badcfe | 0, d0 = 0x10325476;
    const m = new Int32Array(16);
    for (let off = 0; off < buf.length; off += 64) {
      for (let i = 0; i < 16; i++) m[i] = view.getInt32(off + 4 * i, true);
      let a = a0, b = b0, c = c0, d = d0;
      for (let i = 0; i < 64; i++) {
        let f, g;
        if (i < 16) { f = (b & c) | (~b & d); g = i; }
        else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
        else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
        else { f = c ^ (b | ~d); g = (7 * i) & 15; }
        f = (f + a + MD5_K[i] + m[g]) | 0;
        const s = MD5_S[((i >> 4) << 2) | (i & 3)];
        a = d; d = c; c = b;
        b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
      }
      a0 = (a0 + a) | 0; b0 = (b0 + b) | 0; c0 = (c0 + c) | 0; d0 = (d0 + d) | 0;
    }
    const out = new Uint8Array(16);
    const ov = new DataView(out.buffer);
    [a0, b0, c0, d0].forEach((w, i) => ov.setInt32(4 * i, w, true));
    return out;
  }

  // ---------------------------------------------------------------- strict JSON

  const pathKey = (path) => JSON.stringify(path);
  const NO_META = { floats: new Set(), bigs: new Map() };
  const META = new WeakMap(); // parsed document → {floats, bigs} found in its text

  /**
   * Walk valid JSON `text` as Python's strict reader would see it: a member name
   * that appears twice in one object, floating-point number tokens and integers
   * beyond 2^53 (which JSON.parse would round), each by path.
   */
  function scanJson(text) {
    const floats = new Set(), bigs = new Map(), path = [];
    let i = 0, duplicate = null;
    const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    const ws = () => { while (' \t\n\r'.includes(text[i]) && i < text.length) i++; };
    const string = () => {
      const start = i++;
      for (;;) {
        const c = text[i];
        if (c === '"') { i++; break; }
        i += c === '\\' ? 2 : 1;
      }
      return JSON.parse(text.slice(start, i));
    };
    const value = () => {
      ws();
      const c = text[i];
      if (c === '{') {
        i++; ws();
        if (text[i] === '}') { i++; return; }
        const names = new Set();
        for (;;) {
          ws();
          const name = string();
          if (names.has(name) && duplicate === null) duplicate = name;
          names.add(name);
          ws(); i++; // ':'
          path.push(name); value(); path.pop();
          ws();
          if (text[i++] === '}') return;
        }
      }
      if (c === '[') {
        i++; ws();
        if (text[i] === ']') { i++; return; }
        for (let index = 0; ; index++) {
          path.push(index); value(); path.pop();
          ws();
          if (text[i++] === ']') return;
        }
      }
      if (c === '"') { string(); return; }
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)[0];
      i += token.length;
      if (token[0] === '-' || (token[0] >= '0' && token[0] <= '9')) {
        if (/[.eE]/.test(token)) floats.add(pathKey(path));
        else if (!Number.isSafeInteger(Number(token))) bigs.set(pathKey(path), token);
      }
    };
    value();
    return { floats, bigs, duplicate };
  }

  /**
   * Return the certificate object in `data` (text, ArrayBuffer or Uint8Array).
   * Throws DocumentError('document', …) for bad UTF-8 or JSON, a top level that
   * is not an object, or a member name that appears twice (as Python does).
   */
  function parseDocument(data) {
    let text = data;
    if (typeof data !== 'string') {
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
      } catch (e) {
        throw new DocumentError('document', 'is not UTF-8');
      }
    }
    let doc;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new DocumentError('document', `is not valid JSON (${e.message})`);
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new DocumentError('document', 'must be a JSON object');
    }
    let scan;
    try {
      scan = scanJson(text);
    } catch (e) {
      throw new DocumentError('document', 'is nested too deeply to be read here');
    }
    if (scan.duplicate !== null) {
      throw new DocumentError('document', `member ${JSON.stringify(scan.duplicate)} appears twice`);
    }
    META.set(doc, { floats: scan.floats, bigs: scan.bigs });
    return doc;
  }

  // UTF-16 code units → code point order (what Python's sort_keys uses).
  const unitRank = (u) => (u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u);

  function compareCodePoints(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) return unitRank(x) - unitRank(y);
    }
    return a.length - b.length;
  }

  /**
   * Return the canonical JSON text of `value`, byte for byte Python's
   * json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False).
   * Throws TypeError for a float or a string that is not valid Unicode.
   */
  function canonicalJson(value, meta, path) {
    meta = meta || META.get(value) || NO_META;
    path = path || [];
    if (value === null) return 'null';
    switch (typeof value) {
      case 'boolean': return value ? 'true' : 'false';
      case 'number': {
        const key = pathKey(path);
        if (meta.bigs.has(key)) return BigInt(meta.bigs.get(key)).toString();
        if (meta.floats.has(key) || !Number.isSafeInteger(value)) {
          throw new TypeError('floating-point numbers are not allowed');
        }
        return String(value);
      }
      case 'string':
        if (!wellFormed(value)) throw new TypeError('a string is not valid Unicode text');
        return JSON.stringify(value);
      case 'object':
        if (Array.isArray(value)) {
          return '[' + value.map((v, i) => canonicalJson(v, meta, path.concat(i))).join(',') + ']';
        }
        return '{' + Object.keys(value).sort(compareCodePoints).map((k) => {
          if (!wellFormed(k)) throw new TypeError('a member name is not valid Unicode text');
          return JSON.stringify(k) + ':' + canonicalJson(value[k], meta, path.concat(k));
        }).join(',') + '}';
      default:
        throw new TypeError(`${typeof value} has no JSON form`);
    }
  }

  // ---------------------------------------------------------------- timestamps

  const TIMESTAMP = new RegExp(
    '^(\\d{4})-?(\\d{2})-?(\\d{2})' +
    '(?:[^0-9](\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d+))?)?)?' +
    '(Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2}(?:[.,]\\d+)?)?)?)?)?$');

  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    const era = Math.floor(y / 400), yoe = y - era * 400;
    const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  }

  const micros = (frac) => (frac ? Number((frac + '00000').slice(0, 6)) : 0);

  /** Return UTC microseconds (BigInt) of an ISO 8601 timestamp with a zone, as Python reads it. */
  function parseTimestamp(value, field) {
    if (typeof value !== 'string') throw new DocumentError(field, 'must be an ISO 8601 timestamp string');
    const m = TIMESTAMP.exec(value);
    const bad = () => new DocumentError(field, `is not an ISO 8601 timestamp: ${JSON.stringify(value)}`);
    if (!m) throw bad();
    const [y, mo, d] = [m[1], m[2], m[3]].map(Number);
    const [h, mi, s] = [m[4], m[5], m[6]].map((x) => Number(x || 0));
    const monthDays = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28,
                       31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > monthDays[mo - 1] || h > 23 || mi > 59 || s > 59) {
      throw bad();
    }
    if (!m[8]) throw new DocumentError(field, "must carry a time zone (e.g. a final 'Z')");
    let offset = 0n;
    if (m[8] !== 'Z') {
      const z = /^([+-])(\d{2}):?(\d{2})?:?(\d{2})?(?:[.,](\d+))?$/.exec(m[8]);
      const oh = Number(z[2]), om = Number(z[3] || 0), os = Number(z[4] || 0);
      if (oh > 23 || om > 59 || os > 59) throw bad();
      offset = BigInt(((oh * 60 + om) * 60 + os) * 1e6 + micros(z[5])) * (z[1] === '-' ? -1n : 1n);
    }
    const seconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s);
    return seconds * 1000000n + BigInt(micros(m[7])) - offset;
  }

  function formatSeconds(seconds) {
    const when = new Date(Number(seconds) * 1000);
    return Number.isNaN(when.getTime()) ? `${seconds} s after 1970` : when.toISOString().replace('.000Z', 'Z');
  }

  // ---------------------------------------------------------------- the certificate's core

  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const has = (obj, name) => Object.prototype.hasOwnProperty.call(obj, name);
  const KIND_NAMES = { string: 'a string', int: 'an integer', object: 'an object', list: 'a list' };

  /** Read member `name` of `obj` (at `path`) of `kind`, as the Python reader's _get. */
  function get(meta, obj, path, kind, field) {
    const name = path[path.length - 1];
    field = field || String(name);
    if (!has(obj, name)) throw new DocumentError(field, 'is missing');
    const v = obj[name];
    const ok = kind === 'string' ? typeof v === 'string'
      : kind === 'int' ? Number.isInteger(v) && !meta.floats.has(pathKey(path))
        : kind === 'object' ? isObject(v) : Array.isArray(v);
    if (!ok) throw new DocumentError(field, `must be ${KIND_NAMES[kind]}`);
    return v;
  }

  function checkPlaces(winners, alternates) {
    if (winners < 1 || winners > MAX_PLACES) throw new DocumentError('winners', `must be between 1 and ${MAX_PLACES}`);
    if (alternates < 0 || alternates > MAX_PLACES) {
      throw new DocumentError('alternates', `must be between 0 and ${MAX_PLACES}`);
    }
  }

  /** Decimal text of the integers of beacon.sources (exact beyond 2^53), as key_string checks them. */
  function readSources(meta, raw) {
    if (!Array.isArray(raw) || !raw.every(Array.isArray)) {
      throw new DocumentError('beacon.sources', 'must be a list of lists of integers');
    }
    if (!raw.length) throw new DocumentError('beacon.sources', 'at least one source is needed');
    return raw.map((source, i) => {
      const field = `beacon.sources[${i}]`;
      if (!source.length) throw new DocumentError(field, 'a source needs at least one value');
      return source.map((v, j) => {
        const key = pathKey(['beacon', 'sources', i, j]);
        if (!Number.isInteger(v) || meta.floats.has(key) || v < 0) {
          throw new DocumentError(field, `${JSON.stringify(v)} is not a non-negative integer`);
        }
        return meta.bigs.has(key) ? BigInt(meta.bigs.get(key)).toString() : String(v);
      });
    });
  }

  /** The RFC 3797 key string of `sources` (lists of decimal strings). */
  function keyString(sources) {
    return sources.map((s) => s.slice().sort((x, y) => {
      const a = BigInt(x), b = BigInt(y);
      return a < b ? -1 : a > b ? 1 : 0;
    }).map((v) => v + '.').join('') + '/').join('');
  }

  const KEY_STRING = /^(?:(?:(?:0|[1-9][0-9]*)\.)+\/)+$/;

  /** Return '' when `text` is a canonical key string, else the reason it is not. */
  function keyStringProblem(text) {
    if (!KEY_STRING.test(text)) return 'beacon.key_string: is not an RFC 3797 key string of integers';
    for (const part of text.split('/').slice(0, -1)) {
      const values = part.split('.').slice(0, -1).map(BigInt);
      for (let i = 1; i < values.length; i++) {
        if (values[i] < values[i - 1]) return 'beacon.key_string: values of a source must be in ascending order';
      }
    }
    return '';
  }

  function parseBeacon(meta, doc) {
    const b = get(meta, doc, ['beacon'], 'object');
    const kind = b.kind;
    if (kind === 'none') return { kind, id: '', round: 0n, value: new Uint8Array(0) };
    if (kind === 'drand') {
      for (const name of ['chain_hash', 'round', 'signature', 'randomness']) {
        if (!has(b, name)) throw new DocumentError(`beacon.${name}`, 'is missing');
      }
      const chain = hex(parseHex(b.chain_hash, 'beacon.chain_hash', 32));
      if (chain !== QUICKNET.chainHash) {
        throw new DocumentError('beacon.chain_hash', `unknown drand chain ${chain} (only ${QUICKNET.name} is pinned)`);
      }
      const randomness = parseHex(b.randomness, 'beacon.randomness', 32);
      const signature = parseHex(b.signature, 'beacon.signature', 48);
      const key = pathKey(['beacon', 'round']);
      let round = null;
      if (Number.isInteger(b.round) && !meta.floats.has(key)) {
        round = meta.bigs.has(key) ? BigInt(meta.bigs.get(key)) : BigInt(b.round);
      }
      if (round === null || round < 1n || round >= TWO64) {
        throw new DocumentError('beacon.round', 'must be an integer between 1 and 2^64−1');
      }
      return { kind, id: 'drand:' + chain, round, signature, randomness };
    }
    if (kind === 'rfc3797') {
      const sources = b.sources === undefined || b.sources === null ? null : readSources(meta, b.sources);
      let text = b.key_string;
      if (text === undefined || text === null) {
        if (sources === null) throw new DocumentError('beacon.key_string', 'is missing (and there are no sources)');
        text = keyString(sources);
      }
      utf8(text, 'beacon.key_string');
      if (has(b, 'description') && typeof b.description !== 'string') {
        throw new DocumentError('beacon.description', 'must be a string');
      }
      return { kind, id: 'rfc3797', round: 0n, keyString: text, sources };
    }
    if (kind === undefined) throw new DocumentError('beacon.kind', 'is missing');
    throw new DocumentError('beacon.kind', `unknown beacon kind ${JSON.stringify(kind)} ` +
                                           '(expected none, drand or rfc3797)');
  }

  function parsePicks(meta, result, name) {
    return get(meta, result, ['result', name], 'list', `result.${name}`).map((item, i) => {
      const field = `result.${name}[${i}]`;
      if (!isObject(item)) throw new DocumentError(field, 'must be an object with index and leaf');
      const index = get(meta, item, ['result', name, i, 'index'], 'int', `${field}.index`);
      if (index < 0) throw new DocumentError(`${field}.index`, 'must not be negative');
      const leaf = parseHex(get(meta, item, ['result', name, i, 'leaf'], 'string', `${field}.leaf`),
                            `${field}.leaf`, 32);
      return { index, leaf };
    });
  }

  /** The verifiable core of `doc`, checked for shape only (giveaway.core.document). */
  function parseCertificate(doc, meta) {
    if (!isObject(doc)) throw new DocumentError('document', 'must be a JSON object');
    if (get(meta, doc, ['protocol'], 'string') !== 'gdraw-v1') {
      throw new DocumentError('protocol', "must be 'gdraw-v1'");
    }
    const method = get(meta, doc, ['method'], 'string');
    if (method !== 'gdraw-v1' && method !== 'rfc3797') {
      throw new DocumentError('method', "must be 'gdraw-v1' or 'rfc3797'");
    }
    const drawId = get(meta, doc, ['draw_id'], 'string');
    if (!drawId || utf8(drawId, 'draw_id').length > 0xffff) {
      throw new DocumentError('draw_id', 'must be 1 to 65535 bytes of UTF-8');
    }
    const optional = method === 'rfc3797';
    const hexMember = (name, size) => (optional && (doc[name] === undefined || doc[name] === null) ? null
      : parseHex(get(meta, doc, [name], 'string'), name, size));
    const seed = hexMember('seed', 32);
    const salt = hexMember('salt', 16);
    const commitment = hexMember('commitment', 32);
    const time = (obj, name, field) => (obj[name] === undefined || obj[name] === null ? null
      : parseTimestamp(obj[name], field));
    const committedAt = time(doc, 'committed_at', 'committed_at');
    const winners = get(meta, doc, ['winners'], 'int');
    const alternates = get(meta, doc, ['alternates'], 'int');
    checkPlaces(winners, alternates);
    const entries = get(meta, doc, ['entries'], 'object');
    const count = get(meta, entries, ['entries', 'count'], 'int', 'entries.count');
    if (count < 1) throw new DocumentError('entries.count', 'there must be at least one entry');
    if (count > MAX_COUNT) throw new DocumentError('entries.count', 'must be below 2^32');
    const root = parseHex(get(meta, entries, ['entries', 'merkle_root'], 'string', 'entries.merkle_root'),
                          'entries.merkle_root', 32);
    if (entries.leaves !== undefined && entries.leaves !== null && typeof entries.leaves !== 'string') {
      throw new DocumentError('entries.leaves', 'must be a URL or a path');
    }
    const frozenAt = time(entries, 'frozen_at', 'entries.frozen_at');
    const beacon = parseBeacon(meta, doc);
    if (beacon.kind === 'drand' && frozenAt === null) {
      throw new DocumentError('entries.frozen_at', 'is required with a drand beacon');
    }
    if (optional && beacon.kind !== 'rfc3797') {
      throw new DocumentError('beacon.kind', 'the rfc3797 method needs a beacon of kind rfc3797');
    }
    const result = get(meta, doc, ['result'], 'object');
    const picksWinners = parsePicks(meta, result, 'winners');
    const picksAlternates = parsePicks(meta, result, 'alternates');
    if (optional && Math.min(winners + alternates, count) > MAX_RFC3797_PICKS) {
      throw new DocumentError('alternates', `the rfc3797 method draws at most ${MAX_RFC3797_PICKS} ` +
                                            'positions (winners + alternates)');
    }
    return { method, drawId, seed, salt, commitment, committedAt, winners, alternates, count,
             root, frozenAt, beacon, picksWinners, picksAlternates };
  }

  // ---------------------------------------------------------------- the leaf list

  const HEX_VALUE = new Int8Array(256).fill(-1);
  for (let c = 0; c < 10; c++) HEX_VALUE[48 + c] = c;
  for (let c = 0; c < 6; c++) HEX_VALUE[97 + c] = 10 + c;

  /**
   * Return the leaves of a leaf-list file as one Uint8Array of N × 32 bytes.
   * A missing final newline is tolerated; anything else that is not 64 lowercase
   * hex digits per line throws DocumentError('entries.leaves', …) naming the line.
   */
  function parseLeafList(data) {
    let bytes = typeof data === 'string' ? enc.encode(data)
      : data instanceof Uint8Array ? data : new Uint8Array(data);
    if (bytes.length && bytes[bytes.length - 1] !== 10) bytes = concat(bytes, new Uint8Array([10]));
    const n = Math.floor(bytes.length / 65);
    if (n && n * 65 === bytes.length) {
      const out = new Uint8Array(n * 32);
      let ok = true;
      for (let line = 0, src = 0, dst = 0; line < n && ok; line++, src += 65) {
        if (bytes[src + 64] !== 10) { ok = false; break; }
        for (let k = 0; k < 64; k += 2) {
          const hi = HEX_VALUE[bytes[src + k]], lo = HEX_VALUE[bytes[src + k + 1]];
          if ((hi | lo) < 0) { ok = false; break; }
          out[dst++] = (hi << 4) | lo;
        }
      }
      if (ok) return out;
    }
    let start = 0;
    for (let number = 1; start < bytes.length; number++) {
      const end = bytes.indexOf(10, start);
      const line = bytes.subarray(start, end);
      if (line.length !== 64 || line.some((b) => HEX_VALUE[b] < 0)) {
        const shown = new TextDecoder().decode(line.subarray(0, 80));
        throw new DocumentError('entries.leaves', `line ${number} is not 64 lowercase hex digits: ` +
                                                  JSON.stringify(shown));
      }
      start = end + 1;
    }
    throw new DocumentError('entries.leaves', 'is empty');
  }

  /** Compare leaves i and i+1 of `leaves`: negative when strictly ascending. */
  function compareNext(leaves, i) {
    const a = i * 32, b = a + 32;
    for (let k = 0; k < 32; k++) {
      const d = leaves[a + k] - leaves[b + k];
      if (d) return d;
    }
    return 0;
  }

  /** RFC 6962 Merkle root: hash neighbours level by level, carrying an odd last node up. */
  async function merkleRoot(leaves, count, progress) {
    const s = subtle();
    let level = leaves, n = count, depth = 0;
    const levels = Math.ceil(Math.log2(Math.max(count, 1)));
    while (n > 1) {
      depth++;
      if (progress) progress(`level ${depth} of ${levels}`);
      const pairs = n >>> 1, odd = n & 1;
      const input = new Uint8Array(pairs * 65);
      for (let p = 0; p < pairs; p++) {
        input[p * 65] = 1;
        input.set(level.subarray(p * 64, p * 64 + 64), p * 65 + 1);
      }
      const next = new Uint8Array((pairs + odd) * 32);
      for (let from = 0; from < pairs; from += CHUNK) {
        const to = Math.min(pairs, from + CHUNK);
        const pending = [];
        for (let p = from; p < to; p++) pending.push(s.digest('SHA-256', input.subarray(p * 65, p * 65 + 65)));
        const digests = await Promise.all(pending);
        for (let p = from; p < to; p++) next.set(new Uint8Array(digests[p - from]), p * 32);
      }
      if (odd) next.set(level.subarray((n - 1) * 32, n * 32), pairs * 32);
      level = next;
      n = pairs + odd;
    }
    return level.slice(0, 32);
  }

  // ---------------------------------------------------------------- the draw

  const U64_PREFIX = concat(TAG, enc.encode('/u64'));

  /** Word j of the stream: the first 8 bytes of HMAC(K, TAG ‖ "/u64" ‖ u64(j)), computed in batches. */
  async function wordStream(K) {
    const key = await hmacKey(K);
    let next = 0, buffer = [], pos = 0;
    return async (hint) => {
      if (pos >= buffer.length) {
        const size = Math.max(8, Math.min(hint, CHUNK));
        const pending = [];
        for (let t = 0; t < size; t++) {
          const msg = new Uint8Array(20);
          msg.set(U64_PREFIX);
          new DataView(msg.buffer).setBigUint64(12, BigInt(next + t));
          pending.push(subtle().sign('HMAC', key, msg));
        }
        next += size;
        buffer = (await Promise.all(pending)).map((mac) => new DataView(mac).getBigUint64(0));
        pos = 0;
      }
      return buffer[pos++];
    };
  }

  /** gdraw-v1 steps 6 and 7: [winners, alternates] as indexes into L. */
  async function select(K, count, winners, alternates) {
    const places = Math.min(winners + alternates, count);
    const word = await wordStream(K);
    const moved = new Map(), picked = [];
    for (let i = 0; i < places; i++) {
      const n = BigInt(count - i);
      const limit = TWO64 - (TWO64 % n);
      let x;
      do { x = await word(places - i); } while (x >= limit); // below(n): reject, never bias
      const j = i + Number(x % n);
      const atI = moved.has(i) ? moved.get(i) : i;
      const atJ = moved.has(j) ? moved.get(j) : j;
      moved.set(j, atI);
      moved.set(i, atJ);
      picked.push(atJ);
    }
    const cut = Math.min(winners, count);
    return [picked.slice(0, cut), picked.slice(cut)];
  }

  /** RFC 3797 §4: `count` distinct 1-based positions of 1…pool. */
  function rfc3797Positions(key, pool, count) {
    const data = enc.encode(key);
    const msg = new Uint8Array(data.length + 4);
    msg.set(data, 2);
    const taken = [], picks = [];
    for (let i = 0; i < count; i++) {
      msg[0] = msg[msg.length - 2] = i >> 8;
      msg[1] = msg[msg.length - 1] = i & 0xff;
      const rank = Number(BigInt('0x' + hex(md5(msg))) % BigInt(pool - i));
      let position = rank, at = 0;
      while (at < taken.length && taken[at] <= position) { position++; at++; }
      taken.splice(at, 0, position);
      picks.push(position + 1);
    }
    return picks;
  }

  // ---------------------------------------------------------------- the checks

  async function checkCommitment(cert) {
    if (cert.seed === null || cert.commitment === null) {
      return [note('commitment', 'no seed commitment: the rfc3797 method relies on the declared public values alone')];
    }
    const c = await sha256(concat(TAG, enc.encode('/commit'), lpText(cert.drawId, 'draw_id'), cert.seed));
    if (!equalBytes(c, cert.commitment)) {
      return [failed('commitment', 'the revealed seed does not match the commitment ' +
                                   'H(TAG ‖ "/commit" ‖ lp(draw_id) ‖ seed)')];
    }
    return [passed('commitment', 'the revealed seed matches the published commitment')];
  }

  async function checkLeaves(cert, leaves, count, progress) {
    const out = [];
    let bad = -1;
    for (let i = 0; i + 1 < count; i++) if (compareNext(leaves, i) >= 0) { bad = i + 1; break; }
    if (bad < 0) {
      out.push(passed('leaf-order', 'the leaf list is strictly ascending (sorted, distinct)'));
    } else {
      const what = compareNext(leaves, bad - 1) === 0 ? 'a duplicate' : 'out of order';
      out.push(failed('leaf-order', `entries.leaves: leaf ${bad} is ${what} (leaves must be strictly ascending)`));
    }
    if (count === cert.count) {
      out.push(passed('leaf-count', `the leaf list holds entries.count = ${cert.count} leaves`));
    } else {
      out.push(failed('leaf-count', `the leaf list holds ${count} leaves, entries.count says ${cert.count}`));
    }
    progress('merkle-root');
    const root = await merkleRoot(leaves, count, (detail) => progress('merkle-root', detail));
    if (equalBytes(root, cert.root)) {
      out.push(passed('merkle-root', `Merkle root ${hex(cert.root)}`));
    } else {
      out.push(failed('merkle-root', `the leaf list's Merkle root is ${hex(root)}, ` +
                                     `entries.merkle_root says ${hex(cert.root)}`));
    }
    return out;
  }

  async function checkBeacon(cert) {
    const b = cert.beacon;
    if (b.kind === 'none') {
      return [passed('beacon', 'commit-only: no external randomness (R = 0, B empty)'),
              note('beacon', COMMIT_ONLY_WARNING, 'commit_only')];
    }
    if (b.kind === 'drand') {
      b.value = await sha256(b.signature);
      return [
        equalBytes(b.value, b.randomness)
          ? passed('beacon', `drand round ${b.round}: randomness = SHA-256(signature)`)
          : failed('beacon', 'beacon.randomness is not SHA-256(beacon.signature)'),
        note('beacon-signature', `the BLS signature of drand round ${b.round} is not checked in the ` +
                                 `browser (it needs a pairing library): it is checked by ${CLI}`,
             'bls_not_checked'),
      ];
    }
    b.value = await sha256(enc.encode(b.keyString));
    if (b.sources !== null && keyString(b.sources) !== b.keyString) {
      return [failed('beacon', `beacon.key_string ${JSON.stringify(b.keyString)} is not the key string ` +
                               `of beacon.sources (${JSON.stringify(keyString(b.sources))})`)];
    }
    const problem = keyStringProblem(b.keyString);
    if (problem) return [failed('beacon', problem)];
    return [passed('beacon', `declared values, key string ${JSON.stringify(b.keyString)}`)];
  }

  function checkTimeline(cert) {
    const out = [];
    if (cert.committedAt !== null && cert.frozenAt !== null) {
      out.push(cert.committedAt <= cert.frozenAt
        ? passed('timeline', 'the commitment precedes the freeze of the entries')
        : failed('timeline', 'committed_at is after entries.frozen_at: the seed was committed after ' +
                             'the list was frozen'));
    }
    const b = cert.beacon;
    if (b.kind === 'drand' && cert.frozenAt !== null) {
      const at = QUICKNET.genesis + (b.round - 1n) * QUICKNET.period;
      const shown = formatSeconds(at);
      out.push(cert.frozenAt < at * 1000000n
        ? passed('timeline', `the entries were frozen before round ${b.round} existed (${shown})`)
        : failed('timeline', `entries.frozen_at is not before the time of round ${b.round} (${shown}): ` +
                             'the randomness could be known before the freeze'));
    }
    return out;
  }

  function compare(name, stated, expected) {
    if (stated.length !== expected.length) {
      return `result.${name} lists ${stated.length}, the draw gives ${expected.length}`;
    }
    for (let i = 0; i < stated.length; i++) {
      if (stated[i].index !== expected[i]) {
        return `result.${name}[${i}].index is ${stated[i].index}, the draw gives ${expected[i]}`;
      }
    }
    return '';
  }

  const listText = (a) => `[${a.join(', ')}]`;

  async function checkSelection(cert) {
    let derivation, won, alt;
    if (cert.method === 'gdraw-v1') {
      const b = cert.beacon;
      const t = concat(TAG, lpText(cert.drawId, 'draw_id'), uint(cert.count, 4), cert.root,
                       uint(cert.winners, 2), uint(cert.alternates, 2), lpText(b.id, 'beacon'),
                       uint(b.round, 8), lp(b.value));
      const K = await hmac(cert.seed, t);
      derivation = passed('derivation', `K = HMAC(seed, T) = ${hex(K)}`);
      [won, alt] = await select(K, cert.count, cert.winners, cert.alternates);
    } else {
      const places = Math.min(cert.winners + cert.alternates, cert.count);
      const picked = rfc3797Positions(cert.beacon.keyString, cert.count, places).map((p) => p - 1);
      const cut = Math.min(cert.winners, cert.count);
      derivation = passed('derivation', 'RFC 3797 §4 positions from the key string');
      [won, alt] = [picked.slice(0, cut), picked.slice(cut)];
    }
    const problems = [compare('winners', cert.picksWinners, won),
                      compare('alternates', cert.picksAlternates, alt)].filter(Boolean);
    if (problems.length) return [derivation, failed('selection', problems.join('; '))];
    return [derivation, passed('selection', `winners ${listText(won)} and alternates ${listText(alt)} ` +
                                            'are those the draw gives')];
  }

  function checkResultLeaves(cert, leaves, count) {
    for (const [name, picks] of [['winners', cert.picksWinners], ['alternates', cert.picksAlternates]]) {
      for (let i = 0; i < picks.length; i++) {
        const { index, leaf } = picks[i];
        if (index >= count || !equalBytes(leaves.subarray(index * 32, index * 32 + 32), leaf)) {
          return [failed('result-leaves', `result.${name}[${i}].leaf is not leaf ${index} of the list`)];
        }
      }
    }
    return [passed('result-leaves', "each winner's and alternate's leaf is the one at its index")];
  }

  /** Return the raw 32-byte Ed25519 key in `text`: 64 hex digits, or an SPKI PEM block; else null. */
  function parsePublicKey(text) {
    if (typeof text !== 'string') return null;
    text = text.trim();
    if (/^[0-9a-fA-F]{64}$/.test(text)) return parseHex(text, 'public key', 32);
    const pem = /^-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----$/.exec(text);
    if (!pem) return null;
    let der;
    try {
      der = Uint8Array.from(atob(pem[1].replace(/\s+/g, '')), (ch) => ch.charCodeAt(0));
    } catch (e) {
      return null;
    }
    const prefix = '302a300506032b6570032100'; // SubjectPublicKeyInfo of an Ed25519 key
    return der.length === 44 && hex(der.subarray(0, 12)) === prefix ? der.slice(12) : null;
  }

  function base64Strict(text) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) return null;
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  }

  async function checkSignature(doc, meta, publicKey) {
    const sig = doc.signature;
    if (sig === undefined || sig === null) {
      return [note('signature', 'unsigned: the document carries no signature', 'unsigned')];
    }
    if (!isObject(sig) || typeof sig.value !== 'string') {
      return [failed('signature', 'signature.value is missing or not a string')];
    }
    if (sig.alg !== 'Ed25519') {
      return [failed('signature', `signature.alg is ${JSON.stringify(sig.alg === undefined ? null : sig.alg)}, ` +
                                  "only 'Ed25519' is supported")];
    }
    const embedded = publicKey === null;
    if (embedded) {
      if (sig.public_key === undefined || sig.public_key === null) {
        return [note('signature', 'signed, but not checked: the document embeds no public key; ' +
                                  "supply the organiser's key", 'signature_unchecked')];
      }
      publicKey = parsePublicKey(sig.public_key);
      if (publicKey === null) return [failed('signature', 'signature.public_key is not 64 hex digits')];
    }
    const id = hex(await sha256(publicKey));
    if (sig.key_id !== undefined && sig.key_id !== null && String(sig.key_id).toLowerCase() !== id) {
      return [failed('signature', `signature.key_id ${sig.key_id} is not the id of the public key used (${id})`)];
    }
    let key;
    try {
      key = await subtle().importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      if (e && e.name === 'NotSupportedError') {
        return [note('signature', `this browser cannot check Ed25519 signatures: use ${CLI}`,
                     'ed25519_unsupported')];
      }
      key = null;
    }
    let valid = false;
    try {
      const value = base64Strict(sig.value);
      const rest = {};
      for (const name of Object.keys(doc)) if (name !== 'signature') rest[name] = doc[name];
      const payload = enc.encode(canonicalJson(rest, meta, []));
      valid = key !== null && value !== null && await subtle().verify({ name: 'Ed25519' }, key, value, payload);
    } catch (e) {
      valid = false; // undecodable base64, a float or bad Unicode: not what was signed
    }
    if (!valid) {
      return [failed('signature', 'the Ed25519 signature does not match the document ' +
                                  '(changed after signing, or signed by another key)')];
    }
    const out = [passed('signature', `valid Ed25519 signature, key id ${id}`)];
    if (embedded) out.push(note('signature', SELF_EMBEDDED_NOTE, 'self_embedded_key'));
    return out;
  }

  /**
   * Verify a certificate against its leaf list; return one {step, ok, message, code}
   * per check, in the order of giveaway.core.verify_certificate, with the same step
   * names. ok is true (passed), false (failed) or null (information, or not
   * checked in a browser: the drand BLS signature). An unusable input gives a single
   * failed 'document' step naming the member.
   *
   * doc: the parsed JSON, or its text / bytes (then read strictly: duplicate
   *   member names are refused, floats and integers beyond 2^53 are kept exact).
   * leaves: the leaf-list file, as text, ArrayBuffer or Uint8Array.
   * onStep(step, detail): optional progress callback, called before each step.
   * options.publicKey: the organiser's published Ed25519 key (64 hex digits or
   *   PEM); without it the key embedded in the document proves integrity only.
   */
  async function verifyCertificate(doc, leaves, onStep, options) {
    const progress = (step, detail) => { if (typeof onStep === 'function') onStep(step, detail); };
    const results = [];
    try {
      progress('document');
      subtle();
      if (typeof doc === 'string' || doc instanceof ArrayBuffer || ArrayBuffer.isView(doc)) {
        doc = parseDocument(doc);
      }
      const meta = (isObject(doc) && META.get(doc)) || NO_META;
      const cert = parseCertificate(doc, meta);
      let publicKey = null;
      if (options && options.publicKey) {
        publicKey = parsePublicKey(options.publicKey);
        if (publicKey === null) {
          throw new DocumentError('public key', 'not an Ed25519 public key (PEM, or 64 hex digits)');
        }
      }
      const list = parseLeafList(leaves);
      const count = list.length / 32;
      results.push(passed('document', `${cert.method} certificate of draw ${JSON.stringify(cert.drawId)}: ` +
                                      `N=${cert.count}, k=${cert.winners}, a=${cert.alternates}, ` +
                                      `beacon ${cert.beacon.kind}`));
      progress('commitment');
      results.push(...await checkCommitment(cert));
      progress('leaf-order');
      results.push(...await checkLeaves(cert, list, count, progress));
      progress('beacon');
      results.push(...await checkBeacon(cert));
      progress('timeline');
      results.push(...checkTimeline(cert));
      progress('selection');
      results.push(...await checkSelection(cert));
      progress('result-leaves');
      results.push(...checkResultLeaves(cert, list, count));
      progress('signature');
      results.push(...await checkSignature(doc, meta, publicKey));
      return results;
    } catch (e) {
      if (e instanceof DocumentError) {
        return [failed(e.field === 'browser' ? 'browser' : 'document', `unusable input: ${e.message}`)];
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- the page

  const MARKS = { ok: '✓', fail: '✗', note: '–' };
  const SPOKEN = { ok: 'passed', fail: 'failed', note: 'information, or not checked here' };
  const statusOf = (r) => (r.ok === true ? 'ok' : r.ok === false ? 'fail' : 'note');

  /**
   * Show `results` in `element` (its content is replaced): a list with ✓ / ✗ / –
   * and the verdict. Text only (textContent), never markup. Returns {ok, failures}.
   */
  function renderInto(element, results) {
    const page = element.ownerDocument;
    const list = page.createElement('ul');
    list.className = 'gdraw-verify-list';
    for (const r of results) {
      const status = statusOf(r);
      const item = page.createElement('li');
      item.className = `gdraw-verify-item gdraw-verify-${status}`;
      item.setAttribute('data-step', String(r.step));
      item.setAttribute('data-status', status);
      const mark = page.createElement('span');
      mark.className = 'gdraw-verify-mark';
      mark.setAttribute('role', 'img');
      mark.setAttribute('aria-label', SPOKEN[status]);
      mark.textContent = MARKS[status];
      const step = page.createElement('strong');
      step.className = 'gdraw-verify-step';
      step.textContent = String(r.step);
      const message = page.createElement('span');
      message.className = 'gdraw-verify-message';
      message.textContent = String(r.message);
      item.append(mark, ' ', step, ': ', message);
      list.append(item);
    }
    const failures = results.filter((r) => r.ok === false).length;
    const unchecked = results.some((r) => r.code === 'bls_not_checked' || r.code === 'ed25519_unsupported');
    const verdict = page.createElement('p');
    verdict.className = `gdraw-verify-verdict gdraw-verify-verdict-${failures ? 'fail' : 'ok'}`;
    verdict.textContent = failures ? `NOT VERIFIED: ${failures} check(s) failed`
      : 'VERIFIED: every check passed' +
        (unchecked ? ` (those marked – are not checked in a browser: run ${CLI} for them)` : '');
    element.replaceChildren(list, verdict);
    return { ok: failures === 0, failures };
  }

  function sameOrigin(url, attribute, base) {
    if (!url) throw new DocumentError(attribute, 'is missing');
    const resolved = new URL(url, base || global.location.href);
    if (resolved.origin !== global.location.origin) {
      throw new DocumentError(attribute, `${resolved.href} is not on this site`);
    }
    return resolved;
  }

  async function download(url, field) {
    let response;
    try {
      response = await global.fetch(url.href, { credentials: 'same-origin', cache: 'no-cache' });
    } catch (e) {
      throw new DocumentError(field, `cannot download ${url.href}: ${e.message}`);
    }
    if (!response.ok) throw new DocumentError(field, `cannot download ${url.href}: HTTP ${response.status}`);
    if (new URL(response.url).origin !== global.location.origin) {
      throw new DocumentError(field, `${url.href} redirected off this site`);
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  async function run(button) {
    const page = button.ownerDocument;
    const out = page.getElementById(button.getAttribute('data-results-id') || 'gdraw-verify-results');
    if (!out || button.disabled) return null;
    button.disabled = true;
    out.setAttribute('aria-busy', 'true');
    out.removeAttribute('data-gdraw-verdict');
    const line = page.createElement('p');
    line.className = 'gdraw-verify-progress';
    line.setAttribute('role', 'status');
    out.replaceChildren(line);
    const started = global.performance.now();
    let results;
    try {
      line.textContent = 'Downloading the certificate…';
      const certUrl = sameOrigin(button.getAttribute('data-certificate-url'), 'data-certificate-url');
      const doc = parseDocument(await download(certUrl, 'certificate'));
      const located = button.getAttribute('data-leaves-url') ||
        (isObject(doc.entries) && typeof doc.entries.leaves === 'string' ? doc.entries.leaves : '');
      const leavesUrl = sameOrigin(located, 'data-leaves-url', certUrl.href);
      line.textContent = 'Downloading the leaf list…';
      const leaves = await download(leavesUrl, 'entries.leaves');
      results = await verifyCertificate(doc, leaves, (step, detail) => {
        line.textContent = `Checking ${step}…` + (detail ? ` (${detail})` : '');
      }, { publicKey: button.getAttribute('data-public-key') || null });
    } catch (e) {
      results = [e instanceof DocumentError
        ? failed(e.field === 'browser' ? 'browser' : 'document', `unusable input: ${e.message}`)
        : failed('browser', `the verifier stopped (${e && e.name}: ${e && e.message}); ` +
                            `use ${CLI}`)];
    }
    const { ok } = renderInto(out, results);
    line.textContent = `Checked in ${((global.performance.now() - started) / 1000).toFixed(2)} s.`;
    out.prepend(line);
    out.setAttribute('data-gdraw-verdict', ok ? 'verified' : 'not-verified');
    out.setAttribute('aria-busy', 'false');
    button.disabled = false;
    button.dispatchEvent(new global.CustomEvent('gdraw-verify-done', { bubbles: true, detail: { ok, results } }));
    return results;
  }

  const WIRED = new WeakSet();

  /** Wire every <button data-gdraw-verify> of the page (again: harmless). Returns how many. */
  function autoRun(root) {
    const buttons = (root || global.document).querySelectorAll('button[data-gdraw-verify]');
    for (const button of buttons) {
      if (WIRED.has(button)) continue;
      WIRED.add(button);
      button.addEventListener('click', () => { run(button); });
    }
    return buttons.length;
  }

  global.GDrawVerify = Object.freeze({
    verifyCertificate, renderInto, autoRun, parseDocument, DocumentError,
    // exposed for tests and for other verifiers; not a stable API
    internals: Object.freeze({ md5, hex, canonicalJson, parseTimestamp, parseLeafList, merkleRoot,
                               rfc3797Positions, keyString, select, wordStream, compareCodePoints }),
  });

  if (global.document) {
    if (global.document.readyState === 'loading') {
      global.document.addEventListener('DOMContentLoaded', () => autoRun());
    } else {
      autoRun();
    }
  }
})(typeof window !== 'undefined' ? window : globalThis);
