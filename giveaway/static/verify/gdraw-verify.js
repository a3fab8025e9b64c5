/*
 * gdraw-verify.js: checks a gdraw-v1 or gdraw-v2 draw certificate in the browser.
 *
 * Recomputes every step of docs/PROTOCOL.md with WebCrypto (SHA-256, HMAC-SHA-256,
 * Ed25519) and BigInt, with the same steps and verdicts as
 * giveaway.core.verification.verify_certificate: for gdraw-v2 the declaration D
 * (canonical JSON, d = SHA-256), the commitment that binds it, the redeclarations
 * (signed records, strictly later beacons), the beacon against the declared one, the
 * v2 timeline and the RFC 3161 time-stamps; for both versions the leaf list, the
 * RFC 6962 Merkle root, the beacon value, transcript and key, the u64 stream, the
 * partial Fisher-Yates selection (or the RFC 3797 method, with the MD5 below), the
 * picked leaves and the signature. Two checks are NOT done here: the drand BLS
 * pairing check and the CMS signature of RFC 3161 time-stamp tokens. Each is reported
 * as not checked (ok: null) and left to `python -m giveaway.verify`.
 *
 * The script holds no sentence: the page gives it its words, in its language, in a
 * <script type="application/json" id="gdraw-messages"> block (see "messages" below).
 * The step codes (`step`) and codes (`code`) of the results never change; the page
 * shows each step by the name its words give.
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
 *           data-public-key="64 hex digits or PEM"           (optional: the organiser's key;
 *                                                             with it, unsigned fails)
 *           data-commitment="64 hex digits"                  (optional: published elsewhere)
 *           data-caption="gdraw-v2 <draw id> <code>"         (optional: seen on Instagram)
 *           data-results-id="gdraw-verify-results">         (optional: the default shown)
 *     Verify in this browser</button>
 *   <div id="gdraw-verify-results" aria-live="polite"></div>
 *   <script type="application/json" id="gdraw-messages">{…the words…}</script>
 *
 * An empty data-* attribute counts as absent. A click downloads both files (same
 * origin only), shows a progress line, then one line per check (✓ passed, ✗ failed,
 * – information or not checked here) and the verdict; it sets
 * data-gdraw-verdict="verified"|"not-verified" on the results element and fires a
 * bubbling 'gdraw-verify-done' event ({ok, results}) on the button. WebCrypto needs a
 * secure context: HTTPS, or http://127.0.0.1 / localhost.
 */
(function (global) {
  'use strict';

  const enc = new TextEncoder();
  const TAG = enc.encode('gdraw-v1');
  const TAG_V2 = enc.encode('gdraw-v2');
  const TWO64 = 1n << 64n;
  const MAX_COUNT = 2 ** 32 - 1;
  const MAX_PLACES = 0xffff;
  const MAX_RFC3797_PICKS = 1 << 16;
  const MAX_SOURCES = 64;
  const MAX_VALUES_PER_SOURCE = 1000;
  const MAX_TEXT = 500;
  const MAX_SECONDS = 253402300799n; // 9999-12-31T23:59:59Z, the last instant Python can hold
  const CHUNK = 4096; // digests in flight at once
  const QUICKNET = {
    name: 'drand quicknet',
    chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
    genesis: 1692803367n,
    period: 3n,
  };
  const RECORD_TYPE = 'gdraw-v2/redeclaration';
  const CAPTION_HEX = { 'gdraw-v1': 16, 'gdraw-v2': 32 };
  const TIMESTAMP_SUBJECTS = ['commitment', 'freeze'];
  const CLI = 'python -m giveaway.verify';

  // ---------------------------------------------------------------- messages (from the page)

  /*
   * The script holds no sentence. Every line it shows is built as M(key, args) and
   * written out at the end with the words the page gives, in its language:
   *
   *   <script type="application/json" id="gdraw-messages">
   *     {"lang": "fr", "messages": {key: "texte avec %(name)s"},
   *      "plurals": {key: {"num": "n", "one": "…", "other": "…"}},
   *      "steps": {"merkle-root": "Racine de Merkle", …}}</script>
   *
   * (the app renders it from its translation catalogue: giveaway/public/verifier_words.py).
   * An argument that is itself a message (or a list of messages) is written out first;
   * the arguments named in QUOTED are data, shown as JSON. Without words for a key, a
   * line reads as its key and arguments (codes, not a sentence).
   */
  const KEYS = new Set([
    'field_reason', 'unusable', 'stopped', 'no_webcrypto', 'hex_not_string', 'hex_invalid',
    'hex_length', 'not_string', 'bad_unicode', 'too_long', 'not_utf8', 'not_json',
    'not_json_object', 'too_deep', 'duplicate', 'ts_not_string', 'ts_invalid', 'ts_no_zone',
    'strict_ts', 'strict_ts_invalid', 'missing', 'between', 'count_min', 'count_max',
    'sources_list', 'sources_none', 'source_empty', 'value_float', 'value_type',
    'value_negative', 'value_char', 'value_no_letter', 'text_not_alone', 'key_string_invalid',
    'key_string_order', 'key_string_empty_source', 'key_string_missing', 'chain_unknown',
    'round_range', 'round_time_range', 'beacon_kind', 'pick_object', 'not_negative', 'protocol',
    'method_v1', 'method_v2', 'utf8_length', 'url_or_path', 'frozen_required', 'rfc3797_beacon',
    'rfc3797_values', 'rfc3797_max', 'leaves_line', 'leaves_empty', 'public_key',
    'list_of_objects', 'not_member', 'decl_protocol', 'decl_rfc3797', 'decl_closes',
    'lowercase_hex', 'round_time_mismatch', 'source_object', 'decl_kind', 'name_values',
    'sources_range', 'name_source', 'timestamps_list', 'ts_entry', 'ts_subject', 'ts_tsa',
    'ts_token_string', 'ts_token_base64', 'download', 'download_http', 'redirected', 'off_site',
    'must_be_string', 'must_be_int', 'must_be_object', 'must_be_list', 'document',
    'no_seed_commitment', 'commitment_mismatch', 'commitment_ok', 'declaration_differs',
    'declaration_digest', 'declaration_ok', 'commitment_v2_mismatch', 'commitment_v2_ok',
    'declared_drand_ok', 'declared_drand_fail', 'declared_values_missing', 'declared_none_ok',
    'declared_none_fail', 'redeclaration_type', 'redeclaration_draw', 'redeclaration_chain',
    'redeclaration_seq', 'redeclaration_reason', 'redeclaration_previous', 'redeclaration_kind',
    'redeclaration_later', 'redeclaration_existed', 'redeclaration_early',
    'redeclaration_no_key', 'redeclaration_note', 'published_ok', 'published_fail',
    'caption_not_code', 'caption_names', 'caption_code', 'caption_no_commitment', 'caption_ok',
    'leaf_order_ok', 'leaf_duplicate', 'leaf_out_of_order', 'merkle_ok', 'merkle_fail',
    'beacon_none', 'commit_only_warning', 'drand_ok', 'drand_randomness', 'bls_not_checked',
    'key_string_sources', 'declared_ok', 'timeline_commit_freeze',
    'timeline_commit_after_freeze', 'timeline_round_ok', 'timeline_round_fail',
    'timeline_opening_ok', 'timeline_late_opening', 'timeline_after_close',
    'timeline_frozen_before_commit', 'timeline_draw_after_freeze',
    'timeline_draw_before_freeze', 'timeline_beacon_ok', 'timeline_beacon_fail',
    'timeline_drawn_ok', 'timeline_drawn_early', 'not_timestamped', 'derivation',
    'derivation_rfc3797', 'selection_count', 'selection_index', 'selection_ok', 'result_leaf',
    'result_leaves_ok', 'unsigned', 'unsigned_with_key', 'signature_value', 'signature_alg',
    'signature_unchecked', 'signature_public_key', 'signature_key_id', 'ed25519_unsupported',
    'signature_mismatch', 'signature_ok', 'self_embedded_key', 'downloading_certificate',
    'downloading_leaves', 'checking', 'merkle_level', 'checked_in', 'verdict_ok', 'spoken_ok',
    'spoken_fail', 'spoken_note', 'list_separator', 'checking_detail',
    'subject_not_timestamped_commitment', 'subject_not_timestamped_freeze',
    'timestamp_not_checked_commitment', 'timestamp_not_checked_freeze', 'verdict_ok_unchecked',
    'line', 'verdict_fail', 'declared_shape', 'declared_shape_ok', 'leaf_count_ok',
    'leaf_count_fail',
  ]);
  const QUOTED = {
    duplicate: ['name'], ts_invalid: ['value'], strict_ts_invalid: ['value'], value_char:
    ['value', 'char'], value_no_letter: ['value'], beacon_kind: ['kind'], leaves_line:
    ['shown'], document: ['drawId'], redeclaration_type: ['type'], caption_not_code:
    ['caption'], caption_names: ['drawId', 'certDrawId'], key_string_sources: ['keyString',
    'computed'], declared_ok: ['keyString'], signature_alg: ['alg'],
  };
  const CONSTANTS = { cli: CLI, quicknet: QUICKNET.name, max_sources: MAX_SOURCES };
  const q = (v) => JSON.stringify(v === undefined ? null : v); // a value shown as data
  const NO_WORDS = Object.freeze({ lang: '', messages: {}, plurals: {}, steps: {} });

  const TIME = Symbol('gdraw-verify instant');
  /** An instant (BigInt microseconds since 1970, UTC) the page writes in its language. */
  const instant = (us) => ({ [TIME]: BigInt(us) });

  /**
   * Instant `us` in Paris time as the page's language writes dates (« 8 décembre 2026 à
   * 21:00:00 UTC+1 »), to the millisecond when it has a fraction; ISO 8601 without words.
   */
  function timeText(us, words) {
    if (!words.lang) return formatMicros(us);
    const options = { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit',
                      second: '2-digit', timeZoneName: 'short', timeZone: 'Europe/Paris', hourCycle: 'h23' };
    if (us % 1000000n !== 0n) options.fractionalSecondDigits = 3;
    try {
      return new Intl.DateTimeFormat(words.lang, options).format(new Date(Number(us / 1000n)));
    } catch (e) {
      return formatMicros(us);
    }
  }

  const MSG = Symbol('gdraw-verify message');
  /** A message to write out later with the page's words: its key and its arguments. */
  function M(key, args) {
    if (key !== 'as_given' && !KEYS.has(key)) throw new Error(`gdraw-verify: unknown message ${key}`);
    return { [MSG]: key, args: args || {} };
  }
  const isMessage = (v) => v !== null && typeof v === 'object' && v[MSG] !== undefined;

  const WORDS = new WeakMap();

  /** The words of `page` (its #gdraw-messages block), read once; NO_WORDS when it has none. */
  function wordsOf(page) {
    page = page || global.document;
    if (!page) return NO_WORDS;
    if (WORDS.has(page)) return WORDS.get(page);
    let words = NO_WORDS;
    const block = page.getElementById('gdraw-messages');
    if (block) {
      try {
        const read = JSON.parse(block.textContent);
        words = Object.freeze({ lang: String(read.lang || ''), messages: Object(read.messages),
                                plurals: Object(read.plurals), steps: Object(read.steps) });
      } catch (e) {
        words = NO_WORDS;
      }
    }
    WORDS.set(page, words);
    return words;
  }

  const own = (table, key) => (Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined);

  /** The text of a plural message for the count `n`, by the page language's plural rules. */
  function pluralText(entry, n, lang) {
    let form = 'other';
    try {
      form = new Intl.PluralRules(lang || 'fr').select(Number(n));
    } catch (e) {
      form = Number(n) === 1 ? 'one' : 'other';
    }
    return typeof entry[form] === 'string' ? entry[form] : entry.other;
  }

  /** `template` with each %(name)s replaced by args[name]. */
  const fill = (template, args) => String(template).replace(/%\((\w+)\)s/g, (whole, name) =>
    (Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole));

  /** The name of step `step` on the page (its code when the page names none). */
  const stepName = (step, words) => {
    const name = own((words || wordsOf()).steps, String(step));
    return typeof name === 'string' ? name : String(step);
  };

  /** The text of message `m` (or of a plain value) with `words` (default: the page's). */
  function say(m, words) {
    words = words || wordsOf();
    if (Array.isArray(m)) {
      const separator = own(words.messages, 'list_separator');
      return m.map((x) => say(x, words)).join(typeof separator === 'string' ? separator : '; ');
    }
    if (!isMessage(m)) return m === null || m === undefined ? '' : String(m);
    const key = m[MSG];
    if (key === 'as_given') return String(m.args.text); // a reason from another script, as it is
    const args = { ...CONSTANTS };
    const quoted = QUOTED[key] || [];
    for (const name of Object.keys(m.args)) {
      const v = m.args[name];
      args[name] = isMessage(v) || Array.isArray(v) ? say(v, words)
        : v !== null && typeof v === 'object' && v[TIME] !== undefined ? timeText(v[TIME], words)
          : quoted.includes(name) ? q(v) : v;
    }
    const plural = own(words.plurals, key);
    if (plural && typeof plural === 'object') return fill(pluralText(plural, args[plural.num], words.lang), args);
    const text = own(words.messages, key);
    if (typeof text === 'string') return fill(text, args);
    const shown = Object.keys(m.args).map((name) => `${name}=${args[name]}`);
    return shown.length ? `${key} (${shown.join(', ')})` : key;
  }

  // ---------------------------------------------------------------- errors, results

  /** An unusable input: the document (or leaf list) cannot be verified at all. */
  class DocumentError extends Error {
    constructor(field, reason) { // reason: a message M(…), or a text shown as it is
      const msg = isMessage(reason) ? reason : M('as_given', { text: String(reason) });
      const text = say(msg, NO_WORDS); // its key and arguments: the page words it later
      super(`${field}: ${text}`);
      this.field = field;
      this.reason = text;
      this.msg = msg;
    }
  }

  const DE = (field, key, args) => new DocumentError(field, M(key, args));

  const passed = (step, message, code) => ({ step, ok: true, message, code: code || '' });
  const failed = (step, message, code) => ({ step, ok: false, message, code: code || '' });
  const note = (step, message, code) => ({ step, ok: null, message, code: code || '' });

  const unusable = (e) => failed(e.field === 'browser' ? 'browser' : 'document',
                                 M('unusable', { field: e.field, reason: e.msg }));

  // ---------------------------------------------------------------- bytes

  function hex(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }

  const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

  /** Return the bytes written as hex in `value` (either case), as parse_hex does. */
  function parseHex(value, field, length) {
    if (typeof value !== 'string') throw DE(field, 'hex_not_string');
    if (!HEX_RE.test(value)) throw DE(field, 'hex_invalid');
    const out = new Uint8Array(value.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(value.substr(2 * i, 2), 16);
    if (length !== undefined && out.length !== length) {
      throw DE(field, 'hex_length', { length, digits: 2 * length, got: out.length });
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
    if (typeof text !== 'string') throw DE(field, 'not_string');
    if (!wellFormed(text)) throw DE(field, 'bad_unicode');
    return enc.encode(text);
  }

  function lpText(text, field) {
    const data = utf8(text, field);
    if (data.length > 0xffff) throw DE(field, 'too_long');
    return lp(data);
  }

  function subtle() {
    const s = global.crypto && global.crypto.subtle;
    if (!s) throw DE('browser', 'no_webcrypto');
    return s;
  }

  const sha256 = async (data) => new Uint8Array(await subtle().digest('SHA-256', data));

  const hmacKey = (key) => subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' },
                                              false, ['sign']);

  async function hmac(key, data) {
    return new Uint8Array(await subtle().sign('HMAC', await hmacKey(key), data));
  }

  // ---------------------------------------------------------------- Python's text rules

  // What Python's str.isspace() calls white space (str.strip() uses it).
  const PY_SPACE = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029' +
                   '\\u202f\\u205f\\u3000]';
  const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'g');
  const pyStrip = (s) => s.replace(PY_STRIP, '');

  const B64 = /^[A-Za-z0-9+/]$/;

  /** True when Python's base64.b64decode(text, validate=True) (3.11, strict mode) accepts `text`. */
  function pyBase64Valid(text) {
    let quad = 0, pads = 0, padding = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '=') {
        padding = true;
        if (i === 0) return false; // leading padding
        if (quad >= 2 && quad + ++pads >= 4) return i + 1 === text.length; // else: data after it
        continue;
      }
      if (!B64.test(c)) return false;
      if (padding) return false; // discontinuous padding
      pads = 0;
      quad = (quad + 1) & 3;
    }
    return quad === 0;
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
        throw DE('document', 'not_utf8');
      }
    }
    let doc;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw DE('document', 'not_json', { detail: e.message });
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw DE('document', 'not_json_object');
    }
    let scan;
    try {
      scan = scanJson(text);
    } catch (e) {
      throw DE('document', 'too_deep');
    }
    if (scan.duplicate !== null) throw DE('document', 'duplicate', { name: scan.duplicate });
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
   * `path` is where `value` sits in the parsed document of `meta` (exact integers
   * beyond 2^53, floats); a BigInt is written as an integer.
   * Throws TypeError for a float or a string that is not valid Unicode.
   */
  function canonicalJson(value, meta, path) {
    meta = meta || META.get(value) || NO_META;
    path = path || [];
    if (value === null) return 'null';
    switch (typeof value) {
      case 'boolean': return value ? 'true' : 'false';
      case 'bigint': return value.toString();
      case 'number': {
        const key = pathKey(path);
        if (meta.bigs.has(key)) return BigInt(meta.bigs.get(key)).toString();
        if (meta.floats.has(key) || !Number.isSafeInteger(value)) {
          throw new TypeError('floating-point numbers are not allowed');
        }
        return String(value);
      }
      case 'string':
        if (!wellFormed(value)) throw new TypeError('canonical JSON: ill-formed string');
        return JSON.stringify(value);
      case 'object':
        if (Array.isArray(value)) {
          return '[' + value.map((v, i) => canonicalJson(v, meta, path.concat(i))).join(',') + ']';
        }
        return '{' + Object.keys(value).sort(compareCodePoints).map((k) => {
          if (!wellFormed(k)) throw new TypeError('canonical JSON: ill-formed member name');
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

  function civilFromDays(z) {
    z += 719468;
    const era = Math.floor(z / 146097), doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp + (mp < 10 ? 3 : -9);
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }

  const micros = (frac) => (frac ? Number((frac + '00000').slice(0, 6)) : 0);
  const isLeap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const validDate = (y, mo, d, h, mi, s) => y >= 1 && mo >= 1 && mo <= 12 && d >= 1 &&
    d <= (mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]) && h <= 23 && mi <= 59 && s <= 59;

  /** Return UTC microseconds (BigInt) of an ISO 8601 timestamp with a zone, as Python reads it. */
  function parseTimestamp(value, field) {
    if (typeof value !== 'string') throw DE(field, 'ts_not_string');
    const m = TIMESTAMP.exec(value);
    const bad = () => DE(field, 'ts_invalid', { value });
    if (!m) throw bad();
    const [y, mo, d] = [m[1], m[2], m[3]].map(Number);
    const [h, mi, s] = [m[4], m[5], m[6]].map((x) => Number(x || 0));
    if (!validDate(y, mo, d, h, mi, s)) throw bad();
    if (!m[8]) throw DE(field, 'ts_no_zone');
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

  const STRICT_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?Z$/;

  /**
   * Return UTC microseconds (BigInt) of a gdraw-v2 timestamp, YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z
   * only, as giveaway.core.encoding.parse_strict_timestamp reads it.
   */
  function parseStrictTimestamp(value, field) {
    const m = typeof value === 'string' ? STRICT_TIME.exec(value) : null;
    if (!m) throw DE(field, 'strict_ts');
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    if (!validDate(y, mo, d, h, mi, s)) throw DE(field, 'strict_ts_invalid', { value });
    const seconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s);
    return seconds * 1000000n + BigInt(micros(m[7]));
  }

  const pad = (n, width) => String(n).padStart(width, '0');

  /** UTC microseconds (BigInt) as Python's format_timestamp writes them (…SS[.ffffff]Z). */
  function formatMicros(us) {
    let seconds = us / 1000000n, fraction = us % 1000000n;
    if (fraction < 0n) { fraction += 1000000n; seconds -= 1n; }
    let days = seconds / 86400n, rest = seconds % 86400n;
    if (rest < 0n) { rest += 86400n; days -= 1n; }
    const [y, m, d] = civilFromDays(Number(days));
    const r = Number(rest);
    const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(Math.floor(r / 3600), 2)}:` +
                 `${pad(Math.floor(r / 60) % 60, 2)}:${pad(r % 60, 2)}`;
    return text + (fraction ? `.${pad(fraction, 6)}` : '') + 'Z';
  }

  /** A document's timestamp text as an instant to write out, or as it is when it does not read. */
  function instantOf(text) {
    try {
      return instant(parseTimestamp(text, 'at'));
    } catch (e) {
      return text;
    }
  }

  // ---------------------------------------------------------------- RFC 3797 values

  /*
   * As giveaway.core.rfc3797: a value is a whole number (a non-negative integer, or a
   * string of ASCII digits such as "08285182"), a decimal number ("13.6875": digits,
   * one ".", digits) or a text ("W 4-1": Latin letters with or without accents, digits,
   * spaces, punctuation and symbols; canonical as A-Z 0-9 and the only value of its
   * source). Whole numbers are written without leading zeros and with a final ".",
   * decimal numbers without trailing zeros, texts suffixed with "./".
   */
  const WHOLE = /^[0-9]+$/;
  const DECIMAL = /^([0-9]+)\.([0-9]+)$/;
  const ASCII_ALNUM = /^[A-Za-z0-9]$/;
  const ASCII_SPACE = ' \t\n\r\x0b\x0c';
  const REMOVED = /^[\p{Z}\p{P}\p{S}\p{Mn}]$/u;

  function number(whole, fraction) {
    whole = whole.replace(/^0+/, '') || '0';
    fraction = fraction.replace(/0+$/, '');
    const key = [whole.length, whole, fraction];
    return fraction ? { kind: 'decimal', text: `${whole}.${fraction}`, key }
      : { kind: 'whole', text: whole, key };
  }

  function compareKeys(a, b) {
    if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
    for (const i of [1, 2]) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  }

  /** {kind, text, key} of one value: a string, or a non-negative safe integer. */
  function classify(value, field) {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) value = String(value);
    if (typeof value !== 'string') throw DE(field, 'value_type', { value: q(value) });
    if (WHOLE.test(value)) return number(value, '');
    const decimal = DECIMAL.exec(value);
    if (decimal) return number(decimal[1], decimal[2]);
    let canonical = '';
    for (const ch of value.normalize('NFD')) {
      if (ASCII_ALNUM.test(ch)) canonical += ch.toUpperCase();
      else if (!ASCII_SPACE.includes(ch) && !REMOVED.test(ch)) {
        throw DE(field, 'value_char', { value, char: ch });
      }
    }
    if (!/[A-Z]/.test(canonical)) throw DE(field, 'value_no_letter', { value });
    return { kind: 'text', text: canonical, key: [0, '', ''] };
  }

  /** The key-string part of source `index`, its "/" included. */
  function sourcePart(values, index) {
    const field = `beacon.sources[${index}]`;
    if (!Array.isArray(values)) throw DE(field, 'sources_list');
    if (!values.length) throw DE(field, 'source_empty');
    const classified = values.map((v) => classify(v, field));
    if (classified.length > 1 && classified.some((c) => c.kind === 'text')) {
      throw DE(field, 'text_not_alone');
    }
    if (classified[0].kind === 'text') return classified[0].text + './';
    const ordered = classified.slice().sort((a, b) => compareKeys(a.key, b.key));
    return ordered.map((c) => (c.kind === 'whole' ? c.text + '.' : c.text)).join('') + '/';
  }

  /** The RFC 3797 key string of `sources` (lists of strings and non-negative integers). */
  function keyString(sources) {
    const parts = sources.map(sourcePart);
    if (!parts.length) throw DE('beacon.sources', 'sources_none');
    return parts.join('');
  }

  /**
   * The values of a certificate's beacon.sources, as the key string reads them:
   * integers as their exact decimal text (beyond 2^53 too), strings as they are.
   */
  function readSources(meta, raw) {
    if (!Array.isArray(raw) || !raw.every(Array.isArray)) throw DE('beacon.sources', 'sources_list');
    return raw.map((source, i) => source.map((v, j) => {
      const field = `beacon.sources[${i}]`;
      if (typeof v === 'string') return v;
      if (typeof v !== 'number') throw DE(field, 'value_type', { value: q(v) });
      const key = pathKey(['beacon', 'sources', i, j]);
      if (meta.floats.has(key) || !Number.isInteger(v)) throw DE(field, 'value_float', { value: String(v) });
      const digits = meta.bigs.has(key) ? BigInt(meta.bigs.get(key)).toString() : String(v);
      if (digits.startsWith('-')) throw DE(field, 'value_negative', { value: digits });
      return digits;
    }));
  }

  const KEY_CHARS = /^(?:[0-9A-Z.]+\/)+$/;
  const TEXT_PART = /^[0-9A-Z]*[A-Z][0-9A-Z]*\.$/;
  const NUMBER_PART = /^[0-9.]+$/;

  /** Every canonical number written at part[p…]: [end, whole, fraction]. */
  function numbersAt(part, p) {
    let qq = p;
    while (qq < part.length && part[qq] !== '.') qq++;
    const whole = part.slice(p, qq);
    if (!whole || qq === part.length || (whole !== '0' && whole.startsWith('0'))) return [];
    const found = [[qq + 1, whole, '']];
    let r = qq + 1;
    while (r < part.length && part[r] !== '.') {
      r++;
      if (part[r - 1] !== '0') found.push([r, whole, part.slice(qq + 1, r)]);
    }
    return found;
  }

  /** Whether `part` reads as canonical numbers (in ascending order if `ordered`). */
  function readsAsNumbers(part, ordered) {
    const best = new Array(part.length + 1).fill(null); // smallest last key reaching each position
    for (let p = 0; p < part.length; p++) {
      if (p && best[p] === null) continue;
      const last = p ? best[p] : [-1, '', ''];
      for (const [end, whole, fraction] of numbersAt(part, p)) {
        const key = [whole.length, whole, fraction];
        if (ordered && compareKeys(key, last) < 0) continue;
        if (best[end] === null || compareKeys(key, best[end]) < 0) best[end] = key;
      }
    }
    return best[part.length] !== null;
  }

  /** Whether `part` reads as ascending whole numbers "N." only. */
  function readsAsWholes(part) {
    if (!part.endsWith('.')) return false;
    const digits = part.slice(0, -1).split('.');
    if (digits.some((d) => !d || (d !== '0' && d.startsWith('0')))) return false;
    for (let i = 1; i < digits.length; i++) {
      if (compareKeys([digits[i].length, digits[i], ''], [digits[i - 1].length, digits[i - 1], '']) < 0) {
        return false;
      }
    }
    return true;
  }

  /** null when `text` is a key string giveaway.core.rfc3797.parse_key_string reads, else the reason. */
  function keyStringProblem(text) {
    if (typeof text !== 'string' || !KEY_CHARS.test(text)) return M('key_string_invalid');
    for (const part of text.split('/').slice(0, -1)) {
      if (!part) return M('key_string_empty_source');
      if (TEXT_PART.test(part)) continue;
      if (!NUMBER_PART.test(part)) return M('key_string_invalid');
      if (readsAsWholes(part) || readsAsNumbers(part, true)) continue;
      return M(readsAsNumbers(part, false) ? 'key_string_order' : 'key_string_invalid');
    }
    return null;
  }

  // ---------------------------------------------------------------- the certificate's core

  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const has = (obj, name) => Object.prototype.hasOwnProperty.call(obj, name);
  /** obj.get(name) in Python: the member, or null when it is absent. */
  const pyGet = (obj, name) => (isObject(obj) && has(obj, name) ? obj[name] : null);

  function isKind(meta, v, path, kind) {
    return kind === 'string' ? typeof v === 'string'
      : kind === 'int' ? Number.isInteger(v) && !meta.floats.has(pathKey(path))
        : kind === 'object' ? isObject(v) : Array.isArray(v);
  }

  /** Read member `name` of `obj` (at `path`) of `kind`, as the Python reader's _get. */
  function get(meta, obj, path, kind, field) {
    const name = path[path.length - 1];
    field = field || String(name);
    if (!has(obj, name)) throw DE(field, 'missing');
    const v = obj[name];
    if (!isKind(meta, v, path, kind)) throw DE(field, `must_be_${kind}`);
    return v;
  }

  /** The exact integer at `path` (a BigInt), or null when it is not an integer. */
  function exactInt(meta, v, path) {
    if (!Number.isInteger(v) || meta.floats.has(pathKey(path))) return null;
    const key = pathKey(path);
    return meta.bigs.has(key) ? BigInt(meta.bigs.get(key)) : BigInt(v);
  }

  function checkPlaces(winners, alternates, prefix) {
    prefix = prefix || '';
    if (winners < 1 || winners > MAX_PLACES) {
      throw DE(`${prefix}winners`, 'between', { low: 1, high: MAX_PLACES });
    }
    if (alternates < 0 || alternates > MAX_PLACES) {
      throw DE(`${prefix}alternates`, 'between', { low: 0, high: MAX_PLACES });
    }
  }

  function checkDrawId(drawId) {
    if (!drawId || utf8(drawId, 'draw_id').length > 0xffff) {
      throw DE('draw_id', 'utf8_length', { low: 1, high: 65535 });
    }
  }

  function checkCount(count) {
    if (count < 1) throw DE('entries.count', 'count_min');
    if (count > MAX_COUNT) throw DE('entries.count', 'count_max');
  }

  function drandRoundTime(round, field) {
    const seconds = QUICKNET.genesis + (round - 1n) * QUICKNET.period;
    if (seconds > MAX_SECONDS) throw DE(field, 'round_time_range');
    return seconds * 1000000n;
  }

  function parseBeacon(meta, doc) {
    const b = get(meta, doc, ['beacon'], 'object');
    const kind = pyGet(b, 'kind');
    if (kind === 'none') return { kind, id: '', round: 0n, value: new Uint8Array(0) };
    if (kind === 'drand') {
      for (const name of ['chain_hash', 'round', 'signature', 'randomness']) {
        if (!has(b, name)) throw DE(`beacon.${name}`, 'missing');
      }
      const chain = hex(parseHex(b.chain_hash, 'beacon.chain_hash', 32));
      if (chain !== QUICKNET.chainHash) throw DE('beacon.chain_hash', 'chain_unknown', { chain });
      const randomness = parseHex(b.randomness, 'beacon.randomness', 32);
      const signature = parseHex(b.signature, 'beacon.signature', 48);
      const round = exactInt(meta, b.round, ['beacon', 'round']);
      if (round === null || round < 1n || round >= TWO64) throw DE('beacon.round', 'round_range');
      return { kind, id: 'drand:' + chain, chain, round, signature, randomness };
    }
    if (kind === 'rfc3797') {
      let sources = null, text = pyGet(b, 'key_string');
      if (pyGet(b, 'sources') !== null) {
        sources = readSources(meta, b.sources);
        keyString(sources); // form check only: the values stay as published
      }
      if (text === null) {
        if (sources === null) throw DE('beacon.key_string', 'key_string_missing');
        text = keyString(sources);
      }
      utf8(text, 'beacon.key_string');
      if (has(b, 'description') && typeof b.description !== 'string') {
        throw DE('beacon.description', 'must_be_string');
      }
      return { kind, id: 'rfc3797', round: 0n, keyString: text, sources };
    }
    if (kind === null) throw DE('beacon.kind', 'missing');
    throw DE('beacon.kind', 'beacon_kind', { kind });
  }

  function parsePicks(meta, result, name) {
    return get(meta, result, ['result', name], 'list', `result.${name}`).map((item, i) => {
      const field = `result.${name}[${i}]`;
      if (!isObject(item)) throw DE(field, 'pick_object');
      const index = get(meta, item, ['result', name, i, 'index'], 'int', `${field}.index`);
      if (index < 0) throw DE(`${field}.index`, 'not_negative');
      const leaf = parseHex(get(meta, item, ['result', name, i, 'leaf'], 'string', `${field}.leaf`),
                            `${field}.leaf`, 32);
      return { index, leaf };
    });
  }

  function parseEntries(meta, doc) {
    const entries = get(meta, doc, ['entries'], 'object');
    const count = get(meta, entries, ['entries', 'count'], 'int', 'entries.count');
    checkCount(count);
    const root = parseHex(get(meta, entries, ['entries', 'merkle_root'], 'string', 'entries.merkle_root'),
                          'entries.merkle_root', 32);
    return { entries, count, root };
  }

  /** The verifiable core of `doc`, checked for shape only (giveaway.core.document). */
  function parseCertificate(doc, meta) {
    if (!isObject(doc)) throw DE('document', 'not_json_object');
    const protocol = get(meta, doc, ['protocol'], 'string');
    if (protocol === 'gdraw-v2') return parseCertificateV2(doc, meta);
    if (protocol !== 'gdraw-v1') throw DE('protocol', 'protocol');
    const method = get(meta, doc, ['method'], 'string');
    if (method !== 'gdraw-v1' && method !== 'rfc3797') throw DE('method', 'method_v1');
    const drawId = get(meta, doc, ['draw_id'], 'string');
    checkDrawId(drawId);
    const optional = method === 'rfc3797';
    const hexMember = (name, size) => (optional && pyGet(doc, name) === null ? null
      : parseHex(get(meta, doc, [name], 'string'), name, size));
    const seed = hexMember('seed', 32);
    const salt = hexMember('salt', 16);
    const commitment = hexMember('commitment', 32);
    const time = (obj, name, field) => (pyGet(obj, name) === null ? null : parseTimestamp(obj[name], field));
    const committedAt = time(doc, 'committed_at', 'committed_at');
    const winners = get(meta, doc, ['winners'], 'int');
    const alternates = get(meta, doc, ['alternates'], 'int');
    checkPlaces(winners, alternates);
    const { entries, count, root } = parseEntries(meta, doc);
    if (pyGet(entries, 'leaves') !== null && typeof entries.leaves !== 'string') {
      throw DE('entries.leaves', 'url_or_path');
    }
    const frozenAt = time(entries, 'frozen_at', 'entries.frozen_at');
    const beacon = parseBeacon(meta, doc);
    if (beacon.kind === 'drand' && frozenAt === null) throw DE('entries.frozen_at', 'frozen_required');
    if (optional && beacon.kind !== 'rfc3797') throw DE('beacon.kind', 'rfc3797_beacon');
    const result = get(meta, doc, ['result'], 'object');
    const picksWinners = parsePicks(meta, result, 'winners');
    const picksAlternates = parsePicks(meta, result, 'alternates');
    if (optional && Math.min(winners + alternates, count) > MAX_RFC3797_PICKS) {
      throw DE('alternates', 'rfc3797_max', { max: MAX_RFC3797_PICKS });
    }
    return { protocol, method, drawId, seed, salt, commitment, committedAt, winners, alternates,
             count, root, frozenAt, beacon, picksWinners, picksAlternates };
  }

  /** A gdraw-v2 certificate (giveaway.core.document._parse_v2), its declaration and beacon in force. */
  function parseCertificateV2(doc, meta) {
    const method = get(meta, doc, ['method'], 'string');
    if (method !== 'gdraw' && method !== 'rfc3797') throw DE('method', 'method_v2');
    const drawId = get(meta, doc, ['draw_id'], 'string');
    checkDrawId(drawId);
    const seed = parseHex(get(meta, doc, ['seed'], 'string'), 'seed', 32);
    const salt = parseHex(get(meta, doc, ['salt'], 'string'), 'salt', 16);
    const commitment = parseHex(get(meta, doc, ['commitment'], 'string'), 'commitment', 32);
    const committedAt = parseStrictTimestamp(pyGet(doc, 'committed_at'), 'committed_at');
    const winners = get(meta, doc, ['winners'], 'int');
    const alternates = get(meta, doc, ['alternates'], 'int');
    checkPlaces(winners, alternates);
    const declaration = parseDeclaration(meta, get(meta, doc, ['declaration'], 'object'),
                                         ['declaration'], 'declaration');
    const statedDigest = parseHex(get(meta, doc, ['declaration_sha256'], 'string'), 'declaration_sha256', 32);
    const { entries, count, root } = parseEntries(meta, doc);
    get(meta, entries, ['entries', 'leaves'], 'string', 'entries.leaves');
    const frozenAt = parseStrictTimestamp(pyGet(entries, 'frozen_at'), 'entries.frozen_at');
    const drawnAt = parseStrictTimestamp(pyGet(doc, 'drawn_at'), 'drawn_at');
    const beacon = parseBeacon(meta, doc);
    const redeclarations = has(doc, 'redeclarations') ? doc.redeclarations : [];
    if (!Array.isArray(redeclarations) || !redeclarations.every(isObject)) {
      throw DE('redeclarations', 'list_of_objects');
    }
    const result = get(meta, doc, ['result'], 'object');
    const picksWinners = parsePicks(meta, result, 'winners');
    const picksAlternates = parsePicks(meta, result, 'alternates');
    // The beacon in force: the last one redeclared (effective_beacon), else the declared one.
    let effective = declaration.beacon;
    redeclarations.forEach((record, i) => {
      effective = parseBeaconDeclaration(meta, pyGet(record, 'beacon'), ['redeclarations', i, 'beacon'],
                                         `redeclarations[${i}].beacon`);
    });
    const timestamps = parseTimestampEntries(pyGet(doc, 'timestamps'));
    return { protocol: 'gdraw-v2', method, drawId, seed, salt, commitment, committedAt, winners,
             alternates, count, root, frozenAt, drawnAt, beacon, picksWinners, picksAlternates,
             declaration, statedDigest, redeclarations, effective, timestamps };
  }

  // ---------------------------------------------------------------- the declaration D (gdraw-v2)

  const DECLARATION_MEMBERS = ['protocol', 'draw_id', 'salt', 'method', 'winners', 'alternates', 'beacon',
                               'opens_at', 'closes_at', 'rules_sha256', 'eligibility_sha256',
                               'committed_at'];

  function exactMembers(obj, names, field) {
    for (const name of names.slice().sort(compareCodePoints)) {
      if (!has(obj, name)) throw DE(`${field}.${name}`, 'missing');
    }
    const extra = Object.keys(obj).filter((name) => !names.includes(name)).sort(compareCodePoints);
    if (extra.length) throw DE(`${field}.${extra[0]}`, 'not_member');
  }

  /** Member `name` of `obj` (at `path`) of `kind`, as declaration._typed reads it. */
  function typed(meta, obj, path, name, kind, field) {
    const v = pyGet(obj, name);
    if (!isKind(meta, v, path.concat(name), kind)) throw DE(`${field}.${name}`, `must_be_${kind}`);
    return v;
  }

  function declText(meta, obj, path, name, field, low, high) {
    const v = typed(meta, obj, path, name, 'string', field);
    const size = utf8(v, `${field}.${name}`).length;
    if (size < low || size > high) throw DE(`${field}.${name}`, 'utf8_length', { low, high });
    return v;
  }

  function digestHex(meta, obj, path, name, field) {
    const v = typed(meta, obj, path, name, 'string', field);
    parseHex(v, `${field}.${name}`, 32);
    if (v !== v.toLowerCase()) throw DE(`${field}.${name}`, 'lowercase_hex');
    return v;
  }

  /**
   * D, decoded as giveaway.core.declaration.parse_declaration does: exact members, strict
   * timestamps, the beacon declared. `document` is D itself, `path` where it sits in the
   * parsed certificate (for its exact integers when it is written out canonically).
   */
  function parseDeclaration(meta, doc, path, field) {
    if (!isObject(doc)) throw DE(field, 'must_be_object');
    exactMembers(doc, DECLARATION_MEMBERS, field);
    if (doc.protocol !== 'gdraw-v2') throw DE(`${field}.protocol`, 'decl_protocol');
    const drawId = declText(meta, doc, path, 'draw_id', field, 1, 0xffff);
    const salt = parseHex(typed(meta, doc, path, 'salt', 'string', field), `${field}.salt`, 16);
    const method = typed(meta, doc, path, 'method', 'string', field);
    if (method !== 'gdraw' && method !== 'rfc3797') throw DE(`${field}.method`, 'method_v2');
    const winners = typed(meta, doc, path, 'winners', 'int', field);
    const alternates = typed(meta, doc, path, 'alternates', 'int', field);
    checkPlaces(winners, alternates, `${field}.`);
    const beacon = parseBeaconDeclaration(meta, doc.beacon, path.concat('beacon'), `${field}.beacon`);
    if (method === 'rfc3797' && beacon.kind !== 'declared') throw DE(`${field}.method`, 'decl_rfc3797');
    if (method === 'rfc3797' && winners + alternates > MAX_RFC3797_PICKS) {
      throw DE(`${field}.alternates`, 'rfc3797_max', { max: MAX_RFC3797_PICKS });
    }
    const opensAt = parseStrictTimestamp(doc.opens_at, `${field}.opens_at`);
    const closesAt = parseStrictTimestamp(doc.closes_at, `${field}.closes_at`);
    if (!(opensAt < closesAt)) throw DE(`${field}.closes_at`, 'decl_closes');
    digestHex(meta, doc, path, 'rules_sha256', field);
    digestHex(meta, doc, path, 'eligibility_sha256', field);
    const committedAt = parseStrictTimestamp(doc.committed_at, `${field}.committed_at`);
    return { drawId, salt, method, winners, alternates, beacon, opensAt, closesAt, committedAt,
             document: doc, path };
  }

  /**
   * The `beacon` member of D (or of a redeclaration): {kind, time (µs, BigInt; null for
   * none), chain, round, sources [{name, count}], description}, as
   * parse_beacon_declaration reads it.
   */
  function parseBeaconDeclaration(meta, b, path, field) {
    if (!isObject(b)) throw DE(field, 'must_be_object');
    const kind = pyGet(b, 'kind');
    if (kind === 'none') {
      exactMembers(b, ['kind'], field);
      return { kind, time: null };
    }
    if (kind === 'drand') {
      exactMembers(b, ['kind', 'chain_hash', 'round', 'round_time'], field);
      const chain = hex(parseHex(typed(meta, b, path, 'chain_hash', 'string', field), `${field}.chain_hash`, 32));
      if (chain !== QUICKNET.chainHash) throw DE('beacon.chain_hash', 'chain_unknown', { chain });
      typed(meta, b, path, 'round', 'int', field);
      const round = exactInt(meta, b.round, path.concat('round'));
      if (round < 1n || round >= TWO64) throw DE('beacon.round', 'round_range');
      const time = drandRoundTime(round, `${field}.round`);
      if (parseStrictTimestamp(b.round_time, `${field}.round_time`) !== time) {
        throw DE(`${field}.round_time`, 'round_time_mismatch', { round });
      }
      return { kind, time, chain, round };
    }
    if (kind === 'declared') {
      exactMembers(b, ['kind', 'available_at', 'description', 'sources'], field);
      const raw = typed(meta, b, path, 'sources', 'list', field);
      const sources = raw.map((item, i) => {
        const where = `${field}.sources[${i}]`;
        const at = path.concat('sources', i);
        if (!isObject(item)) throw DE(where, 'source_object');
        exactMembers(item, ['name', 'count'], where);
        return { name: declText(meta, item, at, 'name', where, 1, MAX_TEXT),
                 count: typed(meta, item, at, 'count', 'int', where) };
      });
      const time = parseStrictTimestamp(b.available_at, `${field}.available_at`);
      const description = declText(meta, b, path, 'description', field, 1, MAX_TEXT);
      if (!pyStrip(description)) throw DE(`${field}.description`, 'name_values');
      if (sources.length < 1 || sources.length > MAX_SOURCES) throw DE(`${field}.sources`, 'sources_range');
      sources.forEach((source, i) => {
        if (!pyStrip(source.name)) throw DE(`${field}.sources[${i}].name`, 'name_source');
        if (source.count < 1 || source.count > MAX_VALUES_PER_SOURCE) {
          throw DE(`${field}.sources[${i}].count`, 'between', { low: 1, high: MAX_VALUES_PER_SOURCE });
        }
      });
      return { kind, time, sources, description };
    }
    throw DE(`${field}.kind`, 'decl_kind');
  }

  /** Whether two declared beacons are equal, as BeaconDeclaration dataclasses compare. */
  function sameBeaconDeclaration(a, b) {
    if (a.kind !== b.kind || a.time !== b.time) return false;
    if (a.kind === 'drand') return a.chain === b.chain && a.round === b.round;
    if (a.kind === 'declared') {
      return a.description === b.description && a.sources.length === b.sources.length &&
        a.sources.every((s, i) => s.name === b.sources[i].name && s.count === b.sources[i].count);
    }
    return true;
  }

  /** The `timestamps` member (check_timestamps): [{subject, tsa}], after its shape is checked. */
  function parseTimestampEntries(entries) {
    // Python reads `cert.timestamps or []`: every empty or false value means "not timestamped".
    if (entries === null || entries === false || entries === 0 || entries === '' ||
        (Array.isArray(entries) && !entries.length) || (isObject(entries) && !Object.keys(entries).length)) {
      return [];
    }
    if (!Array.isArray(entries)) throw DE('timestamps', 'timestamps_list');
    return entries.map((entry, i) => {
      const field = `timestamps[${i}]`;
      if (!isObject(entry)) throw DE(field, 'ts_entry');
      const subject = pyGet(entry, 'subject'), tsa = pyGet(entry, 'tsa'), token = pyGet(entry, 'token');
      if (!TIMESTAMP_SUBJECTS.includes(subject)) throw DE(`${field}.subject`, 'ts_subject');
      if (typeof tsa !== 'string' || !tsa) throw DE(`${field}.tsa`, 'ts_tsa');
      if (typeof token !== 'string') throw DE(`${field}.token`, 'ts_token_string');
      if (!pyBase64Valid(token)) throw DE(`${field}.token`, 'ts_token_base64');
      return { subject, tsa };
    });
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
        throw DE('entries.leaves', 'leaves_line', { number, shown });
      }
      start = end + 1;
    }
    throw DE('entries.leaves', 'leaves_empty');
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
      if (progress) progress(M('merkle_level', { depth, levels }));
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

  /**
   * Word j of the stream: the first 8 bytes of HMAC(K, TAG ‖ "/u64" ‖ u64(j)), computed in
   * batches; `tag` is the protocol's TAG (gdraw-v1 by default, or gdraw-v2).
   */
  async function wordStream(K, tag) {
    const prefix = concat(tag || TAG, enc.encode('/u64'));
    const key = await hmacKey(K);
    let next = 0, buffer = [], pos = 0;
    return async (hint) => {
      if (pos >= buffer.length) {
        const size = Math.max(8, Math.min(hint, CHUNK));
        const pending = [];
        for (let t = 0; t < size; t++) {
          const msg = new Uint8Array(prefix.length + 8);
          msg.set(prefix);
          new DataView(msg.buffer).setBigUint64(prefix.length, BigInt(next + t));
          pending.push(subtle().sign('HMAC', key, msg));
        }
        next += size;
        buffer = (await Promise.all(pending)).map((mac) => new DataView(mac).getBigUint64(0));
        pos = 0;
      }
      return buffer[pos++];
    };
  }

  /** Steps 6 and 7: [winners, alternates] as indexes into L (`tag`: as for wordStream). */
  async function select(K, count, winners, alternates, tag) {
    const places = Math.min(winners + alternates, count);
    const word = await wordStream(K, tag);
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
    if (cert.seed === null || cert.commitment === null) return [note('commitment', M('no_seed_commitment'))];
    const c = await sha256(concat(TAG, enc.encode('/commit'), lpText(cert.drawId, 'draw_id'), cert.seed));
    if (!equalBytes(c, cert.commitment)) return [failed('commitment', M('commitment_mismatch'))];
    return [passed('commitment', M('commitment_ok'))];
  }

  /** gdraw-v2: the certificate restates D faithfully, and C = H(TAG ‖ "/commit" ‖ lp(id) ‖ d ‖ S). */
  async function checkDeclaration(cert) {
    const decl = cert.declaration;
    const problems = [];
    for (const [name, same] of [
      ['draw_id', cert.drawId === decl.drawId], ['salt', equalBytes(cert.salt, decl.salt)],
      ['method', cert.method === decl.method], ['winners', cert.winners === decl.winners],
      ['alternates', cert.alternates === decl.alternates],
      ['committed_at', cert.committedAt === decl.committedAt]]) {
      if (!same) problems.push(M('declaration_differs', { name }));
    }
    if (!equalBytes(cert.statedDigest, decl.digest)) problems.push(M('declaration_digest'));
    const out = [problems.length ? failed('declaration', problems)
      : passed('declaration', M('declaration_ok', { digest: hex(decl.digest) }))];
    const c = await sha256(concat(TAG_V2, enc.encode('/commit'), lpText(cert.drawId, 'draw_id'),
                                  decl.digest, cert.seed));
    out.push(equalBytes(c, cert.commitment) ? passed('commitment', M('commitment_v2_ok'))
      : failed('commitment', M('commitment_v2_mismatch')));
    return out;
  }

  /** Python's `value == n` for a JSON value and a small integer (True == 1, 1.0 == 1). */
  const equalsInt = (v, n) => (typeof v === 'number' && v === n) || (typeof v === 'boolean' && Number(v) === n);

  /** [problem, the new beacon]: the first rule record `i` breaks, as redeclaration._record_problem. */
  function recordProblem(meta, decl, record, i, current) {
    const field = `redeclarations[${i}]`;
    const path = ['redeclarations', i];
    if (pyGet(record, 'type') !== RECORD_TYPE) return [M('redeclaration_type', { type: RECORD_TYPE }), null];
    if (pyGet(record, 'draw_id') !== decl.drawId) return [M('redeclaration_draw'), null];
    if (pyGet(record, 'declaration_sha256') !== hex(decl.digest)) return [M('redeclaration_chain'), null];
    if (!equalsInt(pyGet(record, 'seq'), i + 1)) return [M('redeclaration_seq', { n: i + 1 }), null];
    const at = parseStrictTimestamp(pyGet(record, 'at'), `${field}.at`);
    const reason = pyGet(record, 'reason');
    if (typeof reason !== 'string' || !pyStrip(reason)) return [M('redeclaration_reason'), null];
    const previous = parseBeaconDeclaration(meta, pyGet(record, 'previous'), path.concat('previous'),
                                            `${field}.previous`);
    if (!sameBeaconDeclaration(previous, current)) return [M('redeclaration_previous'), null];
    const next = parseBeaconDeclaration(meta, pyGet(record, 'beacon'), path.concat('beacon'), `${field}.beacon`);
    if (next.kind !== current.kind || next.kind === 'none') return [M('redeclaration_kind'), null];
    if (!(next.time > current.time)) return [M('redeclaration_later'), null];
    if (!(next.time > at)) return [M('redeclaration_existed'), null];
    if (at < decl.committedAt) return [M('redeclaration_early'), null];
    return [null, next];
  }

  /** The key redeclarations are checked with: the organiser's, else the one the certificate embeds. */
  function embeddedKey(doc) {
    const sig = pyGet(doc, 'signature');
    const raw = isObject(sig) ? pyGet(sig, 'public_key') : null;
    return typeof raw === 'string' ? parsePublicKey(raw) : null;
  }

  /** gdraw-v2 redeclarations: one anomaly note per record, a FAIL for each broken rule. */
  async function checkRedeclarations(cert, doc, meta, publicKey) {
    const decl = cert.declaration;
    const key = publicKey || embeddedKey(doc);
    const out = [];
    let current = decl.beacon;
    for (let i = 0; i < cert.redeclarations.length; i++) {
      const record = cert.redeclarations[i];
      const field = `redeclarations[${i}]`;
      let problem, next;
      try {
        [problem, next] = recordProblem(meta, decl, record, i, current);
      } catch (e) {
        if (!(e instanceof DocumentError)) throw e;
        [problem, next] = [M('field_reason', { field: e.field, reason: e.msg }), null];
      }
      if (problem) out.push(failed('redeclaration', M('field_reason', { field, reason: problem })));
      if (!key) {
        // Never against a key the record brings along: anyone can sign with their own.
        out.push(failed('redeclaration', M('field_reason', { field, reason: M('redeclaration_no_key') })));
      } else {
        for (const r of await checkSignature(record, meta, ['redeclarations', i], key)) {
          // A redeclaration must be signed, and its signature checked against a key.
          if (r.code === 'unsigned' || r.code === 'signature_unchecked' || r.ok === false) {
            out.push(failed('redeclaration', M('field_reason', { field, reason: r.message })));
          }
        }
      }
      if (next) {
        out.push(note('redeclaration', M('redeclaration_note', {
          at: instantOf(record.at), old: instant(current.time), new: instant(next.time), reason: record.reason,
        }), 'beacon_redeclared'));
        current = next;
      }
    }
    return out;
  }

  /** gdraw-v2: the randomness used is exactly the randomness declared (round, or sources and counts). */
  function checkBeaconDeclared(cert) {
    const b = cert.beacon, effective = cert.effective;
    if (effective.kind === 'drand') {
      if (b.kind === 'drand' && b.chain === effective.chain && b.round === effective.round) {
        return [passed('beacon-declared', M('declared_drand_ok', { round: b.round }))];
      }
      return [failed('beacon-declared', M('declared_drand_fail', { round: effective.round }))];
    }
    if (effective.kind === 'declared') {
      if (b.kind !== 'rfc3797' || b.sources === null) {
        return [failed('beacon-declared', M('declared_values_missing'))];
      }
      const counts = b.sources.map((s) => s.length);
      const declared = effective.sources.map((s) => s.count);
      if (counts.length !== declared.length || counts.some((n, i) => n !== declared[i])) {
        return [failed('beacon-declared', M('declared_shape', { n: declared.length, declared: listText(declared),
                                                               given: listText(counts) }))];
      }
      return [passed('beacon-declared', M('declared_shape_ok', { n: counts.length, counts: listText(counts),
                                                                description: effective.description }))];
    }
    if (b.kind === 'none') return [passed('beacon-declared', M('declared_none_ok'))];
    return [failed('beacon-declared', M('declared_none_fail'))];
  }

  function checkExpectedCommitment(cert, expected) {
    if (cert.commitment !== null && equalBytes(cert.commitment, expected)) {
      return passed('commitment-published', M('published_ok'));
    }
    return failed('commitment-published', M('published_fail'));
  }

  /** A caption code seen elsewhere ("gdraw-v2 <draw id> <first 32 hex digits of C>"). */
  function checkCaption(cert, caption) {
    // Python: words = caption.split(); protocol, draw id (the middle words), code (the last)
    const words = caption.split(/\s+/).filter((w) => w !== '');
    const protocol = words.length ? words[0] : '';
    const drawId = words.slice(1, -1).join(' '); // the draw id may itself hold spaces
    const code = words.length >= 3 ? words[words.length - 1] : '';
    if (!has(CAPTION_HEX, protocol) || !drawId || !code) {
      return failed('caption', M('caption_not_code', { caption }));
    }
    if (protocol !== cert.protocol || drawId !== cert.drawId.split(/\s+/).filter((w) => w !== '').join(' ')) {
      return failed('caption', M('caption_names', { protocol, drawId, certProtocol: cert.protocol,
                                                    certDrawId: cert.drawId }));
    }
    if (cert.commitment === null) return failed('caption', M('caption_no_commitment'));
    if (code.length !== CAPTION_HEX[protocol] ||
        code.toLowerCase() !== hex(cert.commitment).slice(0, code.length)) {
      return failed('caption', M('caption_code'));
    }
    return passed('caption', M('caption_ok'));
  }

  async function checkLeaves(cert, leaves, count, progress) {
    const out = [];
    let bad = -1;
    for (let i = 0; i + 1 < count; i++) if (compareNext(leaves, i) >= 0) { bad = i + 1; break; }
    if (bad < 0) {
      out.push(passed('leaf-order', M('leaf_order_ok')));
    } else {
      const what = compareNext(leaves, bad - 1) === 0 ? 'leaf_duplicate' : 'leaf_out_of_order';
      out.push(failed('leaf-order', M(what, { index: bad })));
    }
    out.push(count === cert.count ? passed('leaf-count', M('leaf_count_ok', { count: cert.count }))
      : failed('leaf-count', M('leaf_count_fail', { got: count, count: cert.count })));
    progress('merkle-root');
    const root = await merkleRoot(leaves, count, (detail) => progress('merkle-root', detail));
    out.push(equalBytes(root, cert.root) ? passed('merkle-root', M('merkle_ok', { root: hex(cert.root) }))
      : failed('merkle-root', M('merkle_fail', { got: hex(root), root: hex(cert.root) })));
    return out;
  }

  async function checkBeacon(cert) {
    const b = cert.beacon;
    if (b.kind === 'none') {
      return [passed('beacon', M('beacon_none')), note('beacon', M('commit_only_warning'), 'commit_only')];
    }
    if (b.kind === 'drand') {
      b.value = await sha256(b.signature);
      return [
        equalBytes(b.value, b.randomness) ? passed('beacon', M('drand_ok', { round: b.round }))
          : failed('beacon', M('drand_randomness')),
        note('beacon-signature', M('bls_not_checked', { round: b.round }), 'bls_not_checked'),
      ];
    }
    b.value = await sha256(enc.encode(b.keyString));
    if (b.sources !== null && keyString(b.sources) !== b.keyString) {
      return [failed('beacon', M('key_string_sources', { keyString: b.keyString,
                                                         computed: keyString(b.sources) }))];
    }
    const problem = keyStringProblem(b.keyString);
    if (problem) return [failed('beacon', M('field_reason', { field: 'beacon.key_string', reason: problem }))];
    return [passed('beacon', M('declared_ok', { keyString: b.keyString }))];
  }

  function checkTimeline(cert) {
    const out = [];
    if (cert.committedAt !== null && cert.frozenAt !== null) {
      out.push(cert.committedAt <= cert.frozenAt ? passed('timeline', M('timeline_commit_freeze'))
        : failed('timeline', M('timeline_commit_after_freeze')));
    }
    const b = cert.beacon;
    if (b.kind === 'drand' && cert.frozenAt !== null) {
      const at = QUICKNET.genesis + (b.round - 1n) * QUICKNET.period;
      const args = { round: b.round, when: instant(BigInt(at) * 1000000n) };
      out.push(cert.frozenAt < at * 1000000n ? passed('timeline', M('timeline_round_ok', args))
        : failed('timeline', M('timeline_round_fail', args)));
    }
    return out;
  }

  /**
   * gdraw-v2: committed_at ≤ opens_at (or a late opening before closes_at), committed_at ≤
   * frozen_at, frozen_at < beacon time ≤ drawn_at (commit-only: frozen_at ≤ drawn_at).
   */
  function checkTimelineV2(cert) {
    const decl = cert.declaration, out = [];
    if (cert.committedAt <= decl.opensAt) {
      out.push(passed('timeline', M('timeline_opening_ok')));
    } else if (cert.committedAt < decl.closesAt) {
      out.push(note('timeline', M('timeline_late_opening'), 'late_opening'));
    } else {
      out.push(failed('timeline', M('timeline_after_close')));
    }
    out.push(cert.committedAt <= cert.frozenAt ? passed('timeline', M('timeline_commit_freeze'))
      : failed('timeline', M('timeline_frozen_before_commit')));
    const at = cert.effective.time;
    if (at === null) {
      out.push(cert.frozenAt <= cert.drawnAt ? passed('timeline', M('timeline_draw_after_freeze'))
        : failed('timeline', M('timeline_draw_before_freeze')));
      return out;
    }
    const when = instant(at);
    out.push(cert.frozenAt < at ? passed('timeline', M('timeline_beacon_ok', { when }))
      : failed('timeline', M('timeline_beacon_fail', { when })));
    out.push(cert.drawnAt >= at ? passed('timeline', M('timeline_drawn_ok', { when }))
      : failed('timeline', M('timeline_drawn_early', { drawn: instant(cert.drawnAt), when })));
    return out;
  }

  /** RFC 3161 tokens: the CMS signature is not checked here, each token is left to the CLI. */
  function checkTimestamps(cert) {
    if (!cert.timestamps.length) return [note('timestamp', M('not_timestamped'), 'not_timestamped')];
    const out = cert.timestamps.map(({ subject, tsa }) => note(
      'timestamp', M(`timestamp_not_checked_${subject}`, { tsa }), 'timestamp_not_checked'));
    for (const subject of TIMESTAMP_SUBJECTS) {
      if (!cert.timestamps.some((t) => t.subject === subject)) {
        out.push(note('timestamp', M(`subject_not_timestamped_${subject}`), 'not_timestamped'));
      }
    }
    return out;
  }

  function compare(name, stated, expected) {
    if (stated.length !== expected.length) {
      return M('selection_count', { name, stated: stated.length, expected: expected.length });
    }
    for (let i = 0; i < stated.length; i++) {
      if (stated[i].index !== expected[i]) {
        return M('selection_index', { name, i, got: stated[i].index, want: expected[i] });
      }
    }
    return null;
  }

  const listText = (a) => `[${a.join(', ')}]`;

  async function checkSelection(cert) {
    let derivation, won, alt;
    if (cert.method === 'gdraw-v1' || cert.method === 'gdraw') {
      const v2 = cert.protocol === 'gdraw-v2';
      const b = cert.beacon;
      const head = v2 ? [TAG_V2, lpText(cert.drawId, 'draw_id'), cert.declaration.digest]
        : [TAG, lpText(cert.drawId, 'draw_id')];
      const t = concat(...head, uint(cert.count, 4), cert.root, uint(cert.winners, 2),
                       uint(cert.alternates, 2), lpText(b.id, 'beacon'), uint(b.round, 8), lp(b.value));
      const K = await hmac(cert.seed, t);
      derivation = passed('derivation', M('derivation', { key: hex(K) }));
      [won, alt] = await select(K, cert.count, cert.winners, cert.alternates, v2 ? TAG_V2 : TAG);
    } else {
      if (cert.beacon.kind !== 'rfc3797') throw DE('beacon.kind', 'rfc3797_values');
      const places = Math.min(cert.winners + cert.alternates, cert.count);
      if (places > MAX_RFC3797_PICKS) throw DE('alternates', 'rfc3797_max', { max: MAX_RFC3797_PICKS });
      const picked = rfc3797Positions(cert.beacon.keyString, cert.count, places).map((p) => p - 1);
      const cut = Math.min(cert.winners, cert.count);
      derivation = passed('derivation', M('derivation_rfc3797'));
      [won, alt] = [picked.slice(0, cut), picked.slice(cut)];
    }
    const problems = [compare('winners', cert.picksWinners, won),
                      compare('alternates', cert.picksAlternates, alt)].filter(Boolean);
    if (problems.length) return [derivation, failed('selection', problems)];
    return [derivation, passed('selection', M('selection_ok', { won: listText(won), alt: listText(alt) }))];
  }

  function checkResultLeaves(cert, leaves, count) {
    for (const [name, picks] of [['winners', cert.picksWinners], ['alternates', cert.picksAlternates]]) {
      for (let i = 0; i < picks.length; i++) {
        const { index, leaf } = picks[i];
        if (index >= count || !equalBytes(leaves.subarray(index * 32, index * 32 + 32), leaf)) {
          return [failed('result-leaves', M('result_leaf', { name, i, index }))];
        }
      }
    }
    return [passed('result-leaves', M('result_leaves_ok'))];
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

  /**
   * The signature step for `obj` (the certificate, or a redeclaration record at `path` in the
   * parsed document of `meta`), as giveaway.core.signature_check.check_signature: with the
   * organiser's `publicKey` an unsigned object fails; without it the embedded key is used.
   */
  async function checkSignature(obj, meta, path, publicKey) {
    const sig = pyGet(obj, 'signature');
    if (sig === null) {
      return [publicKey !== null ? failed('signature', M('unsigned_with_key'), 'unsigned')
        : note('signature', M('unsigned'), 'unsigned')];
    }
    if (!isObject(sig) || typeof sig.value !== 'string') return [failed('signature', M('signature_value'))];
    if (pyGet(sig, 'alg') !== 'Ed25519') {
      return [failed('signature', M('signature_alg', { alg: has(sig, 'alg') ? sig.alg : null }))];
    }
    const embedded = publicKey === null;
    if (embedded) {
      if (pyGet(sig, 'public_key') === null) {
        return [note('signature', M('signature_unchecked'), 'signature_unchecked')];
      }
      publicKey = parsePublicKey(sig.public_key);
      if (publicKey === null) return [failed('signature', M('signature_public_key'))];
    }
    const id = hex(await sha256(publicKey));
    const stated = pyGet(sig, 'key_id');
    if (stated !== null && String(stated).toLowerCase() !== id) {
      return [failed('signature', M('signature_key_id', { stated: String(stated), id }))];
    }
    let key;
    try {
      key = await subtle().importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      if (e && e.name === 'NotSupportedError') {
        return [note('signature', M('ed25519_unsupported'), 'ed25519_unsupported')];
      }
      key = null;
    }
    let valid = false;
    try {
      const value = base64Strict(sig.value);
      const rest = {};
      for (const name of Object.keys(obj)) if (name !== 'signature') rest[name] = obj[name];
      const payload = enc.encode(canonicalJson(rest, meta, path));
      valid = key !== null && value !== null && await subtle().verify({ name: 'Ed25519' }, key, value, payload);
    } catch (e) {
      valid = false; // undecodable base64, a float or bad Unicode: not what was signed
    }
    if (!valid) return [failed('signature', M('signature_mismatch'))];
    const out = [passed('signature', M('signature_ok', { id }))];
    if (embedded) out.push(note('signature', M('self_embedded_key'), 'self_embedded_key'));
    return out;
  }

  /** Every check of `doc`, messages not yet written out; throws DocumentError for unusable input. */
  async function verifyAll(doc, leaves, progress, options) {
    progress('document');
    subtle();
    if (typeof doc === 'string' || doc instanceof ArrayBuffer || ArrayBuffer.isView(doc)) {
      doc = parseDocument(doc);
    }
    const meta = (isObject(doc) && META.get(doc)) || NO_META;
    const cert = parseCertificate(doc, meta);
    let publicKey = null;
    if (options.publicKey) {
      publicKey = parsePublicKey(options.publicKey);
      if (publicKey === null) throw DE('public key', 'public_key');
    }
    const list = parseLeafList(leaves);
    const count = list.length / 32;
    let expected = null;
    if (options.commitment !== undefined && options.commitment !== null) {
      expected = options.commitment instanceof Uint8Array ? options.commitment
        : parseHex(pyStrip(String(options.commitment)), 'commitment (published)', 32);
    }
    const v2 = cert.protocol === 'gdraw-v2';
    if (v2) {
      cert.declaration.digest = await sha256(enc.encode(
        canonicalJson(cert.declaration.document, meta, cert.declaration.path)));
    }
    const results = [passed('document', M('document', {
      protocol: cert.protocol, method: cert.method, drawId: cert.drawId, count: cert.count,
      k: cert.winners, a: cert.alternates, kind: cert.beacon.kind }))];
    if (v2) {
      progress('declaration');
      results.push(...await checkDeclaration(cert));
      if (cert.redeclarations.length) progress('redeclaration');
      results.push(...await checkRedeclarations(cert, doc, meta, publicKey));
      progress('beacon-declared');
      results.push(...checkBeaconDeclared(cert));
    } else {
      progress('commitment');
      results.push(...await checkCommitment(cert));
    }
    if (expected !== null) results.push(checkExpectedCommitment(cert, expected));
    if (options.caption !== undefined && options.caption !== null) {
      results.push(checkCaption(cert, String(options.caption)));
    }
    progress('leaf-order');
    results.push(...await checkLeaves(cert, list, count, progress));
    progress('beacon');
    results.push(...await checkBeacon(cert));
    progress('timeline');
    results.push(...(v2 ? checkTimelineV2(cert) : checkTimeline(cert)));
    if (v2) {
      progress('timestamp');
      results.push(...checkTimestamps(cert));
    }
    progress('selection');
    results.push(...await checkSelection(cert));
    progress('result-leaves');
    results.push(...checkResultLeaves(cert, list, count));
    progress('signature');
    results.push(...await checkSignature(doc, meta, [], publicKey));
    return results;
  }

  /** `results` with each message written out with `words`. */
  const written = (results, words) => results.map((r) => ({ step: r.step, ok: r.ok,
                                                           message: say(r.message, words), code: r.code }));

  /**
   * Verify a certificate (gdraw-v1 or gdraw-v2) against its leaf list; return one
   * {step, ok, message, code} per check, in the order of giveaway.core.verify_certificate,
   * with the same step names. ok is true (passed), false (failed) or null (information, or
   * not checked in a browser: the drand BLS signature, RFC 3161 tokens). An unusable input
   * gives a single failed 'document' step naming the member.
   *
   * doc: the parsed JSON, or its text / bytes (then read strictly: duplicate
   *   member names are refused, floats and integers beyond 2^53 are kept exact).
   * leaves: the leaf-list file, as text, ArrayBuffer or Uint8Array.
   * onStep(step, detail): optional progress callback, called before each step.
   * options.publicKey: the organiser's published Ed25519 key (64 hex digits or
   *   PEM); with it an unsigned document fails; without it the key embedded in the
   *   document proves integrity only.
   * options.commitment: the commitment published elsewhere (64 hex digits, or 32 bytes).
   * options.caption: the caption code seen elsewhere ("gdraw-v2 <draw id> <code>").
   * options.words: the words to write messages with, shaped as the page's
   *   #gdraw-messages block (default: that block of the page).
   */
  async function verifyCertificate(doc, leaves, onStep, options) {
    options = options || {};
    const words = options.words && typeof options.words === 'object'
      ? { ...NO_WORDS, ...options.words } : wordsOf();
    const progress = (step, detail) => {
      if (typeof onStep === 'function') onStep(step, detail === undefined ? detail : say(detail, words));
    };
    try {
      return written(await verifyAll(doc, leaves, progress, options), words);
    } catch (e) {
      if (e instanceof DocumentError) return written([unusable(e)], words);
      throw e;
    }
  }

  // ---------------------------------------------------------------- the page

  const MARKS = { ok: '✓', fail: '✗', note: '–' };
  const statusOf = (r) => (r.ok === true ? 'ok' : r.ok === false ? 'fail' : 'note');
  const UNCHECKED_CODES = ['bls_not_checked', 'ed25519_unsupported', 'timestamp_not_checked'];

  /**
   * The nodes of one result line: its step's name and its message placed as the page's
   * "line" words say ("%(step)s : %(message)s" in French), as text, never markup.
   */
  function lineNodes(page, words, step, message) {
    const template = own(words.messages, 'line');
    const parts = String(typeof template === 'string' ? template : '%(step)s: %(message)s')
      .split(/(%\((?:step|message)\)s)/);
    return parts.filter((part) => part !== '').map((part) => {
      if (part !== '%(step)s' && part !== '%(message)s') return part;
      const node = page.createElement(part === '%(step)s' ? 'strong' : 'span');
      node.className = part === '%(step)s' ? 'gdraw-verify-step' : 'gdraw-verify-message';
      node.textContent = part === '%(step)s' ? stepName(step, words) : message;
      return node;
    });
  }

  /**
   * Show `results` in `element` (its content is replaced): a list with ✓ / ✗ / –
   * and the verdict, with the words of the element's page. Text only (textContent),
   * never markup. Each line carries its step's code in data-step. Returns {ok, failures}.
   */
  function renderInto(element, results) {
    const page = element.ownerDocument;
    const words = wordsOf(page);
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
      mark.setAttribute('aria-label', say(M(`spoken_${status}`), words));
      mark.textContent = MARKS[status];
      item.append(mark, ' ', ...lineNodes(page, words, r.step, say(r.message, words)));
      list.append(item);
    }
    const failures = results.filter((r) => r.ok === false).length;
    const unchecked = results.some((r) => UNCHECKED_CODES.includes(r.code));
    const verdict = page.createElement('p');
    verdict.className = `gdraw-verify-verdict gdraw-verify-verdict-${failures ? 'fail' : 'ok'}`;
    verdict.textContent = say(failures ? M('verdict_fail', { n: failures })
      : M(unchecked ? 'verdict_ok_unchecked' : 'verdict_ok'), words);
    element.replaceChildren(list, verdict);
    return { ok: failures === 0, failures };
  }

  /** `seconds` with two decimals, as the page's language writes them (0,42 in French). */
  function secondsText(seconds, words) {
    try {
      return new Intl.NumberFormat(words.lang || undefined, { minimumFractionDigits: 2,
                                                              maximumFractionDigits: 2 }).format(seconds);
    } catch (e) {
      return seconds.toFixed(2);
    }
  }

  function sameOrigin(url, attribute, base) {
    if (!url) throw DE(attribute, 'missing');
    const resolved = new URL(url, base || global.location.href);
    if (resolved.origin !== global.location.origin) throw DE(attribute, 'off_site', { url: resolved.href });
    return resolved;
  }

  async function download(url, field) {
    let response;
    try {
      response = await global.fetch(url.href, { credentials: 'same-origin', cache: 'no-cache' });
    } catch (e) {
      throw DE(field, 'download', { url: url.href, detail: e.message });
    }
    if (!response.ok) throw DE(field, 'download_http', { url: url.href, status: response.status });
    if (new URL(response.url).origin !== global.location.origin) {
      throw DE(field, 'redirected', { url: url.href });
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  /** A data-* attribute of the button, or null when it is absent or blank. */
  function attribute(button, name) {
    const value = button.getAttribute(name);
    return value === null || !pyStrip(value) ? null : value;
  }

  async function run(button) {
    const page = button.ownerDocument;
    const words = wordsOf(page);
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
      line.textContent = say(M('downloading_certificate'), words);
      const certUrl = sameOrigin(button.getAttribute('data-certificate-url'), 'data-certificate-url');
      const doc = parseDocument(await download(certUrl, 'certificate'));
      const located = button.getAttribute('data-leaves-url') ||
        (isObject(doc.entries) && typeof doc.entries.leaves === 'string' ? doc.entries.leaves : '');
      const leavesUrl = sameOrigin(located, 'data-leaves-url', certUrl.href);
      line.textContent = say(M('downloading_leaves'), words);
      const leaves = await download(leavesUrl, 'entries.leaves');
      results = await verifyCertificate(doc, leaves, (step, detail) => {
        line.textContent = say(M(detail ? 'checking_detail' : 'checking',
                                  { step: stepName(step, words), detail }), words);
      }, { publicKey: attribute(button, 'data-public-key'), commitment: attribute(button, 'data-commitment'),
           caption: attribute(button, 'data-caption'), words });
    } catch (e) {
      results = written([e instanceof DocumentError ? unusable(e)
        : failed('browser', M('stopped', { name: e && e.name, message: e && e.message }))], words);
    }
    const { ok } = renderInto(out, results);
    const seconds = (global.performance.now() - started) / 1000;
    line.textContent = say(M('checked_in', { seconds: secondsText(seconds, words) }), words);
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
    internals: Object.freeze({ md5, hex, canonicalJson, parseTimestamp, parseStrictTimestamp, formatMicros,
                               parseLeafList, merkleRoot, rfc3797Positions, keyString, keyStringProblem:
                                 (text) => { const p = keyStringProblem(text); return p && say(p); },
                               select, wordStream, compareCodePoints, pyBase64Valid, pyStrip,
                               keys: [...KEYS], wordsOf,
                               say: (key, args, words) => say(M(key, args), words) }),
  });

  if (global.document) {
    if (global.document.readyState === 'loading') {
      global.document.addEventListener('DOMContentLoaded', () => autoRun());
    } else {
      autoRun();
    }
  }
})(typeof window !== 'undefined' ? window : globalThis);
