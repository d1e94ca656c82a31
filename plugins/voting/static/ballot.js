(function () {
  "use strict";
  var info = JSON.parse(document.getElementById("meeting-info").textContent);
  var base = "/v/" + encodeURIComponent(info.meeting);
  var $ = function (id) { return document.getElementById(id); };
  var signer = null, publicHex = null, sheet = null, receiptImage = null;
  var labels = {agree: "同意", oppose: "反对", abstain: "弃权"};

  // One step at a time; the keyboard and screen reader focus moves to the new step's heading.
  var headings = {"step-key": "step-key-title", "step-vote": "step-vote-title", "step-confirm": "step-confirm-title", "step-receipt": "receipt-title"};
  function show(id, quiet) {
    Object.keys(headings).forEach(function (s) { $(s).hidden = s !== id; });
    if (id && !quiet) { $(headings[id]).focus(); window.scrollTo(0, 0); }
  }
  // #message (assertive) and #state (polite) are live regions, always in the page: a screen reader
  // announces what is written into them. Empty, they take no room.
  function say(text, ok) { var m = $("message"); m.className = text ? (ok ? "ok" : "error") : ""; m.textContent = text || ""; }
  function state(text, focus) { var s = $("state"); s.textContent = text || ""; if (text && focus) s.focus(); }
  function localTime(iso) {
    try {
      return new Date(iso).toLocaleString("zh-CN", {timeZone: info.timezone, year: "numeric", month: "long", day: "numeric",
                                                    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false});
    } catch (e) { return iso; }
  }
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
  function postJSON(url, body) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  }
  // The answer's JSON, or a message in words when a proxy or a dropped connection sent something else.
  async function answer(response) {
    try { return await response.json(); } catch (e) { return {message: "网络不稳定或服务器暂时无法访问，请稍后重试。"}; }
  }
  // Many phones' clocks are minutes or hours off: the sheet's proof is dated by the server's clock,
  // as the page was rendered, moved on by the time since.
  var skew = Date.parse(info.now) - Date.now();
  function serverNow() { return new Date(Date.now() + (isNaN(skew) ? 0 : skew)).toISOString(); }
  var phaseText = {
    not_open: "表决尚未开始。会议召开日为 " + info.meeting_date_local + "，开始表决后即可用本页投票。",
    closed: "本次表决已于 " + info.voting_closes_local + " 截止。",
    open: ""
  };

  // Shown only when no signer works at all; in WeChat/QQ the way out is the system browser.
  var inApp = /MicroMessenger|QQ\//i.test(navigator.userAgent);
  function cannotSign() {
    say(inApp ? "当前页面无法完成电子签名。请点右上角“…”，选择“在浏览器中打开”后再投票，或使用纸质表决票。"
              : "本浏览器无法完成电子签名，请换用其他浏览器，或使用纸质表决票。");
  }
  // The sheet's state, asked with a fresh signature: a public key alone tells the server's answer to nobody.
  async function askSheet() {
    var at = serverNow();
    var proof = await signer.sign(wuyeSign.message("wuye-sheet-v1", info.meeting, {at: at, voter_key: publicHex}));
    var response = await postJSON(base + "/sheet", {voter_key: publicHex, at: at, signature: wuyeSign.hex(proof)});
    var data = await answer(response);
    if (!response.ok) throw new Error(data.message || "无法识别这张表决票。");
    return data;
  }
  async function useSeed(bytes) {
    if (!bytes || bytes.length !== 32) { say("投票码不正确，请检查后重新输入。"); show("step-key"); return; }
    try { signer = await wuyeSign.signer(bytes); } catch (e) { cannotSign(); return; }
    publicHex = signer.publicHex;
    try { sheet = await askSheet(); } catch (e) { say(e.message || "网络不稳定，请稍后重试。"); show("step-key"); return; }
    $("voter").textContent = "表决票编号 " + sheet.serial + "　房屋 " + sheet.units.join("、") + "　专有部分面积 " +
      (sheet.area_centi / 100).toFixed(2) + " 平方米" +
      // after the seal: where this household stands in the published (pseudonymous) record, to look up
      (sheet.record ? "　公开表决记录中本户的编号：第 " + sheet.record.voter.voter_no + " 号" : "");
    $("voter").hidden = false;
    say("");
    show(null);
    var online = sheet.online;
    if (online && online.this_sheet) {
      state("这张表决票已于 " + online.received_at_local + " 提交，不能再次投票。", true);
      $("show-receipt").hidden = false;
      return;
    }
    if (sheet.revoked) {
      state(sheet.reissued ? "这张表决票已作废，不能用它投票。已为您补发新的表决票，请用新票投票。"
                           : "这张表决票已作废，不能用它投票。如需投票，请向业主委员会或物业服务中心领取新的表决票。", true);
      return;
    }
    if (online) { state("本户已于 " + online.received_at_local + " 用另一张表决票投票，不能再次投票。", true); return; }
    if (sheet.paper) { state("本户的纸质表决票已于 " + sheet.paper.entered_at_local + " 录入，不能再网上投票。", true); return; }
    if (info.phase !== "open") { state(phaseText[info.phase] + (info.phase === "closed" ? "这张表决票未曾投票。" : ""), true); return; }
    state("");
    buildForm(); show("step-vote");
  }
  // The motions this sheet answers: all of the estate's, and those of a part of it (a building's
  // lift, say) only where the household owns a unit there (the sheet's state lists them).
  function mine() {
    return info.motions.filter(function (m) { return !sheet || !sheet.motions || sheet.motions.indexOf(m.position) >= 0; });
  }
  function buildForm() {
    var form = $("ballot"); form.textContent = "";
    var answered = mine();
    // the motions of a part of the estate this household has no unit in: said, so the numbers' gap is clear
    var proxy = sheet && sheet.proxy;
    if (proxy) {
      var who = document.createElement("p"); who.className = "card proxy"; who.id = "proxy-note";
      who.textContent = "这是受托人" + proxy.proxy_name + "的表决票：只能就授权委托书委托的议题表决" +
        (proxy.instructions.length ? "，委托人写明表决意见的，按意见表决。" : "。");
      form.appendChild(who);
    }
    info.motions.filter(function (m) { return answered.indexOf(m) < 0; }).forEach(function (m) {
      var p = document.createElement("p"); p.className = "scope";
      p.textContent = proxy && proxy.motions.indexOf(m.position) < 0
        ? "第 " + m.position + " 项（" + m.title + "）不在授权委托范围内，受托人不能表决。"
        : "第 " + m.position + " 项（" + m.title + "）仅由" + m.scope_label + "的业主表决，本户不在表决范围内。";
      form.appendChild(p);
    });
    answered.forEach(function (m) {
      var box = document.createElement("fieldset"); box.className = "card motion"; box.dataset.position = m.position;
      var h = document.createElement("legend"); h.textContent = m.position + ". " + m.title; box.appendChild(h);
      if (m.scope_label) { var s = document.createElement("p"); s.className = "scope"; s.textContent = "本事项由" + m.scope_label + "的业主表决"; box.appendChild(s); }
      if (m.description) { var d = document.createElement("p"); d.className = "muted"; d.textContent = m.description; box.appendChild(d); }
      if (m.kind === "election") {
        var hint = document.createElement("p"); hint.className = "muted"; hint.textContent = "最多选择 " + m.seats + " 名"; box.appendChild(hint);
        m.candidates.forEach(function (c) { box.appendChild(option("checkbox", "m" + m.position, c.id, c.name, m.seats)); });
      } else {
        [["agree", "同意"], ["oppose", "反对"], ["abstain", "弃权"]].forEach(function (o) { box.appendChild(option("radio", "m" + m.position, o[0], o[1])); });
      }
      var told = proxy && proxy.instructions.filter(function (i) { return i.motion === m.position; })[0];
      if (told) instructed(box, m, told);
      form.appendChild(box);
    });
  }
  // The owner's instruction for a motion (授权委托书写明的表决意见): marked, and the other options locked.
  function instructed(box, m, told) {
    var wanted = told.choice ? [told.choice] : (told.candidates || []);
    box.querySelectorAll("input").forEach(function (input) {
      input.checked = wanted.indexOf(input.value) >= 0;
      input.disabled = true;
    });
    var words = {agree: "同意", oppose: "反对", abstain: "弃权"};
    var names = (m.candidates || []).filter(function (c) { return wanted.indexOf(c.id) >= 0; }).map(function (c) { return c.name; });
    var note = document.createElement("p"); note.className = "scope instructed";
    note.textContent = "委托人的表决意见：" + (told.choice ? words[told.choice] : (names.join("、") || "不选")) + "（按授权委托书表决，不能更改）";
    box.appendChild(note);
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
    mine().forEach(function (m) {
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
  // "1. 续聘…：同意" per motion, from the ballot's choices
  function describe(list) {
    return mine().map(function (m) {
      var chosen = list.filter(function (c) { return c.motion === m.position; })[0] || {};
      var text = m.kind === "election"
        ? (m.candidates.filter(function (x) { return (chosen.candidates || []).indexOf(x.id) >= 0; }).map(function (x) { return x.name; }).join("、") || "未选择候选人")
        : (labels[chosen.choice] || "—");
      return m.position + ". " + m.title + "：" + text;
    });
  }
  $("review").addEventListener("click", function (e) {
    e.preventDefault();
    var c = choices();
    if (c.missing !== null) {
      say("第 " + c.missing + " 项尚未选择。");
      document.querySelector("input[name=m" + c.missing + "]").focus();  // there, with its title read out
      return;
    }
    var summary = $("summary"); summary.textContent = "";
    describe(c.list).forEach(function (line) { var p = document.createElement("p"); p.textContent = line; summary.appendChild(p); });
    say(""); show("step-confirm");
  });
  $("back").addEventListener("click", function () { show("step-vote"); });
  // a double tap submits once (wuye.once, core/static/console.js); the button is greyed meanwhile
  $("submit").addEventListener("click", wuye.once(async function () {
    $("submit").disabled = true;
    try {
      var list = choices().list;
      var ballot = {protocol: "wuye-ballot-v1", meeting: info.meeting, register_digest: info.register_digest,
                    voter_key: publicHex, choices: list};
      var signature = await signer.sign(wuyeSign.message("wuye-ballot-v1", info.meeting, ballot));
      var response = await postJSON(base + "/ballots", {ballot: ballot, signature: wuyeSign.hex(signature)});
      var data = await answer(response);
      if (!response.ok) { say(data.message || "提交失败，请稍后重试。"); show(response.status === 409 ? "step-confirm" : "step-vote"); return; }
      showReceipt(data, list, true);
    } catch (e) { say("网络不稳定，表决票未能提交，请稍后重试。"); }
    finally { $("submit").disabled = false; }
  }));
  $("show-receipt").addEventListener("click", function () {
    $("show-receipt").hidden = true; state("");
    showReceipt(sheet.online.receipt, sheet.online.choices, false);
  });

  // The receipt: in words first (what, which sheet, what was chosen, when), the verifiable part below.
  function receiptLines(data, list) {
    return ["会议：" + info.title, "表决票编号：" + (sheet ? sheet.serial : ""), "提交时间：" + localTime(data.receipt.received_at)]
      .concat(["您的选择："], describe(list));
  }
  function showReceipt(data, list, fresh) {
    $("receipt-title").textContent = fresh ? "表决已提交，这是您的回执。" : "这是您这张表决票的回执。";
    var words = $("receipt-words"); words.textContent = "";
    receiptLines(data, list).forEach(function (line) { var p = document.createElement("p"); p.textContent = line; words.appendChild(p); });
    $("receipt-text").textContent = JSON.stringify(data, null, 1);
    $("verify-url").textContent = location.origin + "/verify/" + info.meeting;
    say(""); show("step-receipt");
    postJSON("/verify/" + encodeURIComponent(info.meeting) + "/receipt-qr", {receipt: data.receipt, signature: data.signature})
      .then(function (r) { return r.ok ? r.blob() : null; })
      .then(function (blob) {
        if (!blob) return;
        var qr = $("receipt-qr");
        qr.onload = function () { drawReceipt(data, list); };
        qr.src = URL.createObjectURL(blob);
      })
      .catch(function () { drawReceipt(data, list); });
  }
  // The receipt as one image (words and QR) shown on the page: long-press saves it where downloads are blocked.
  function drawReceipt(data, list) {
    var qr = $("receipt-qr"), lines = receiptLines(data, list), scale = 2, width = 360;
    var canvas = document.createElement("canvas"), lineHeight = 24, qrSize = qr.naturalWidth ? 220 : 0;
    var g = canvas.getContext("2d"), font = "15px sans-serif";
    // wrap first (a long motion title takes two or three rows), then size the canvas to fit them all
    g.font = font;
    var rows = [];
    lines.forEach(function (line) {
      var row = "";
      Array.from(line).forEach(function (ch) { if (g.measureText(row + ch).width > width - 24) { rows.push(row); row = ch; } else { row += ch; } });
      rows.push(row);
    });
    canvas.width = width * scale; canvas.height = (24 + rows.length * lineHeight + qrSize + 40) * scale;
    g = canvas.getContext("2d"); g.scale(scale, scale);
    g.fillStyle = "#fff"; g.fillRect(0, 0, width, canvas.height);
    g.fillStyle = "#1f2328"; g.font = font;
    var y = 28;
    rows.forEach(function (row) { g.fillText(row, 12, y); y += lineHeight; });
    if (qrSize) g.drawImage(qr, (width - qrSize) / 2, y, qrSize, qrSize);
    g.fillStyle = "#5c6470"; g.font = "12px sans-serif"; g.fillText("扫描二维码核对您的表决票是否计入结果", 12, y + qrSize + 22);
    var image = $("receipt-image");
    image.src = canvas.toDataURL("image/png"); image.hidden = false;
    canvas.toBlob(function (blob) { receiptImage = blob; });
    $("receipt-image-hint").hidden = false;
  }
  function download(name, blob) { var a = document.createElement("a"); a.href = URL.createObjectURL(blob); a.download = name; a.click(); }
  $("save-text").addEventListener("click", function () {
    var text = $("receipt-words").innerText + "\n\n" + $("receipt-text").textContent;
    download("表决回执.txt", new Blob([text], {type: "text/plain;charset=utf-8"}));
  });
  $("save-image").addEventListener("click", function () {
    if (receiptImage) download("表决回执.png", receiptImage);
  });
  $("use-code").addEventListener("click", function () { useSeed(base32Decode($("code").value)); });

  var fromHash = /[#&]k=([A-Za-z0-9_-]{43})/.exec(location.hash);
  state(phaseText[info.phase]);
  if (fromHash) { useSeed(wuyeSign.b64urlDecode(fromHash[1])); } else { show("step-key", true); }
})();
