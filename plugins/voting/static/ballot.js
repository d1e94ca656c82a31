(function () {
  "use strict";
  var info = JSON.parse(document.getElementById("meeting-info").textContent);
  var base = "/v/" + encodeURIComponent(info.meeting);
  var $ = function (id) { return document.getElementById(id); };
  var signer = null, publicHex = null;

  function show(id) { ["step-key", "step-vote", "step-confirm", "step-receipt"].forEach(function (s) { $(s).hidden = s !== id; }); }
  function say(text, ok) { var m = $("message"); m.hidden = !text; m.className = ok ? "ok" : "error"; m.textContent = text || ""; }
  function base32Decode(s) {
    var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", bits = 0, value = 0, out = [];
    s = s.toUpperCase().replace(/[\s-]/g, "");
    for (var i = 0; i < s.length; i++) {
      var v = alphabet.indexOf(s[i]); if (v < 0) return null;
      value = (value << 5) | v; bits += 5;
      if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
    }
    return new Uint8Array(out);
  }
  // Shown only when no signer works at all; in WeChat/QQ the way out is the system browser.
  var inApp = /MicroMessenger|QQ\//i.test(navigator.userAgent);
  function cannotSign() {
    say(inApp ? "当前页面无法完成电子签名。请点右上角“…”，选择“在浏览器中打开”后再投票，或使用纸质表决票。"
              : "本浏览器无法完成电子签名，请换用其他浏览器，或使用纸质表决票。");
  }
  async function useSeed(bytes) {
    if (!bytes || bytes.length !== 32) { say("投票码不正确，请检查后重新输入。"); show("step-key"); return; }
    try { signer = await wuyeSign.signer(bytes); } catch (e) { cannotSign(); return; }
    publicHex = signer.publicHex;
    var response = await fetch(base + "/voters/" + publicHex);
    var data = await response.json();
    if (!response.ok) { say(data.message || "无法识别这张表决票。"); show("step-key"); return; }
    if (data.revoked) { say("这张表决票已作废（已补发新票），请使用新的表决票。"); return; }
    $("voter").textContent = "表决票编号 " + data.serial + "　房屋 " + data.units.join("、") + "　专有部分面积 " +
      (data.area_centi / 100).toFixed(2) + " 平方米";
    buildForm(); say(""); show("step-vote");
  }
  function buildForm() {
    var form = $("ballot"); form.textContent = "";
    info.motions.forEach(function (m) {
      var box = document.createElement("fieldset"); box.className = "card motion"; box.dataset.position = m.position;
      var h = document.createElement("h2"); h.textContent = m.position + ". " + m.title; box.appendChild(h);
      if (m.description) { var d = document.createElement("p"); d.className = "muted"; d.textContent = m.description; box.appendChild(d); }
      if (m.kind === "election") {
        var hint = document.createElement("p"); hint.className = "muted"; hint.textContent = "最多选择 " + m.seats + " 名"; box.appendChild(hint);
        m.candidates.forEach(function (c) { box.appendChild(option("checkbox", "m" + m.position, c.id, c.name, m.seats)); });
      } else {
        [["agree", "同意"], ["oppose", "反对"], ["abstain", "弃权"]].forEach(function (o) { box.appendChild(option("radio", "m" + m.position, o[0], o[1])); });
      }
      form.appendChild(box);
    });
  }
  function option(type, name, value, text, limit) {
    var label = document.createElement("label"); label.className = "opt";
    var input = document.createElement("input"); input.type = type; input.name = name; input.value = value;
    if (limit) input.addEventListener("change", function () {
      var checked = document.querySelectorAll("input[name=" + name + "]:checked");
      if (checked.length > limit) { input.checked = false; say("最多只能选择 " + limit + " 名候选人。"); } else { say(""); }
    });
    label.appendChild(input); label.appendChild(document.createTextNode(" " + text));
    return label;
  }
  function choices() {
    var list = [], missing = null;
    info.motions.forEach(function (m) {
      if (m.kind === "election") {
        list.push({motion: m.position, candidates: Array.from(document.querySelectorAll("input[name=m" + m.position + "]:checked"), function (i) { return i.value; })});
      } else {
        var picked = document.querySelector("input[name=m" + m.position + "]:checked");
        if (!picked && missing === null) missing = m.position;
        list.push({motion: m.position, choice: picked ? picked.value : null});
      }
    });
    return {list: list, missing: missing};
  }
  var labels = {agree: "同意", oppose: "反对", abstain: "弃权"};
  $("review").addEventListener("click", function (e) {
    e.preventDefault();
    var c = choices();
    if (c.missing !== null) { say("第 " + c.missing + " 项尚未选择。"); return; }
    var summary = $("summary"); summary.textContent = "";
    info.motions.forEach(function (m, i) {
      var p = document.createElement("p"), chosen = c.list[i];
      var names = m.kind === "election" ? m.candidates.filter(function (x) { return chosen.candidates.indexOf(x.id) >= 0; }).map(function (x) { return x.name; }) : [];
      p.textContent = m.position + ". " + m.title + "：" + (m.kind === "election" ? (names.join("、") || "未选择候选人") : labels[chosen.choice]);
      summary.appendChild(p);
    });
    say(""); show("step-confirm");
  });
  $("back").addEventListener("click", function () { show("step-vote"); });
  $("submit").addEventListener("click", async function () {
    $("submit").disabled = true;
    try {
      var ballot = {protocol: "wuye-ballot-v1", meeting: info.meeting, register_digest: info.register_digest,
                    voter_key: publicHex, choices: choices().list};
      var signature = await signer.sign(wuyeSign.message("wuye-ballot-v1", info.meeting, ballot));
      var response = await fetch(base + "/ballots", {method: "POST", headers: {"Content-Type": "application/json"},
                                                      body: JSON.stringify({ballot: ballot, signature: wuyeSign.hex(signature)})});
      var data = await response.json();
      if (!response.ok) { say(data.message || "提交失败"); show(response.status === 409 ? "step-confirm" : "step-vote"); return; }
      var text = JSON.stringify(data, null, 1);
      $("receipt-text").textContent = text;
      $("verify-url").textContent = location.origin + "/verify/" + info.meeting;
      say(""); show("step-receipt");
      fetch("/verify/" + encodeURIComponent(info.meeting) + "/receipt-qr", {method: "POST", headers: {"Content-Type": "application/json"},
            body: JSON.stringify({receipt: data.receipt, signature: data.signature})})
        .then(function (r) { return r.ok ? r.blob() : null; })
        .then(function (blob) { if (blob) { $("receipt-qr").src = URL.createObjectURL(blob); $("receipt-qr").hidden = false; } })
        .catch(function () {});
    } catch (e) { say("网络或浏览器错误，请稍后重试：" + e); }
    finally { $("submit").disabled = false; }
  });
  function download(name, blob) { var a = document.createElement("a"); a.href = URL.createObjectURL(blob); a.download = name; a.click(); }
  $("save-text").addEventListener("click", function () { download("表决回执.txt", new Blob([$("receipt-text").textContent], {type: "text/plain"})); });
  $("save-image").addEventListener("click", function () {
    var lines = $("receipt-text").textContent.match(/.{1,60}/g), canvas = document.createElement("canvas");
    var qr = $("receipt-qr"), top = qr.hidden ? 0 : qr.naturalHeight + 16;
    canvas.width = Math.max(760, qr.naturalWidth + 32); canvas.height = 40 + top + lines.length * 22;
    var g = canvas.getContext("2d"); g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height);
    if (!qr.hidden) g.drawImage(qr, 16, 16);
    g.fillStyle = "#000"; g.font = "15px monospace";
    lines.forEach(function (l, i) { g.fillText(l, 16, top + 30 + i * 22); });
    canvas.toBlob(function (blob) { download("表决回执.png", blob); });
  });
  $("use-code").addEventListener("click", function () { useSeed(base32Decode($("code").value)); });

  var fromHash = /[#&]k=([A-Za-z0-9_-]{43})/.exec(location.hash);
  if (info.status !== "open") { say(info.status === "published" ? "表决尚未开始，请于会议召开日后再来。" : "本次表决已截止。"); }
  if (fromHash) { useSeed(wuyeSign.b64urlDecode(fromHash[1])); } else { show("step-key"); }
})();
