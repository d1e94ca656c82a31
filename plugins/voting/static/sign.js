// The ballot's signing (docs/protocol.md): canonical JSON, the domain-separated message, and an Ed25519
// signer from the sheet's 32-byte seed — WebCrypto where the browser has Ed25519, else the vendored
// TweetNaCl (loaded only then). Both give the same bytes: Ed25519 signatures are deterministic.
(function () {
  "use strict";
  var NACL = "/static/voting/vendor/tweetnacl/nacl-fast.min.js";

  function hex(bytes) { return Array.from(new Uint8Array(bytes), function (b) { return b.toString(16).padStart(2, "0"); }).join(""); }
  function b64urlDecode(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/"); while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  // RFC 8785 for what a ballot holds (objects, arrays, strings, integers): sorted keys, no spaces.
  function canonical(v) {
    if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
    if (v && typeof v === "object") return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + canonical(v[k]); }).join(",") + "}";
    return JSON.stringify(v);
  }
  function message(domain, context, obj) {
    var enc = new TextEncoder(), parts = [enc.encode(domain), new Uint8Array([0]), enc.encode(context), new Uint8Array([0]), enc.encode(canonical(obj))];
    var total = parts.reduce(function (n, p) { return n + p.length; }, 0), out = new Uint8Array(total), at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  // WebCrypto: the seed wrapped as PKCS#8; the public key read back from the JWK export.
  async function webcrypto(seed) {
    if (!window.crypto || !crypto.subtle) throw new Error("no crypto.subtle");
    var der = new Uint8Array(48);
    der.set([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
    der.set(seed, 16);
    var key = await crypto.subtle.importKey("pkcs8", der, {name: "Ed25519"}, true, ["sign"]);
    var jwk = await crypto.subtle.exportKey("jwk", key);
    return {
      kind: "webcrypto",
      publicHex: hex(b64urlDecode(jwk.x)),
      sign: async function (bytes) { return new Uint8Array(await crypto.subtle.sign({name: "Ed25519"}, key, bytes)); }
    };
  }

  var loading = null;
  function loadNacl() {
    if (window.nacl && window.nacl.sign) return Promise.resolve(window.nacl);
    loading = loading || new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = NACL;
      script.onload = function () { window.nacl && window.nacl.sign ? resolve(window.nacl) : reject(new Error("nacl")); };
      script.onerror = function () { loading = null; reject(new Error("nacl did not load")); };
      document.head.appendChild(script);
    });
    return loading;
  }
  async function purejs(seed) {
    var nacl = await loadNacl(), pair = nacl.sign.keyPair.fromSeed(new Uint8Array(seed));
    return {
      kind: "purejs",
      publicHex: hex(pair.publicKey),
      sign: async function (bytes) { return nacl.sign.detached(bytes, pair.secretKey); }
    };
  }
  // The best signer the browser offers; the fallback only when WebCrypto cannot do Ed25519.
  async function signer(seed) {
    try { return await webcrypto(seed); } catch (e) { return await purejs(seed); }
  }

  window.wuyeSign = {hex: hex, b64urlDecode: b64urlDecode, canonical: canonical, message: message,
                     webcrypto: webcrypto, purejs: purejs, signer: signer};
})();
