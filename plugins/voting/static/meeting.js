"use strict";
// The meeting console's paper count (single sheets and count sheets) and the preliminary result's
// objections, posted as JSON. Publishing,
// printing, delivery, opening, sealing and revoking are plain forms (plugins/voting/web/forms.py): they
// work without this script and ask for a confirmation on the server before anything irreversible.
var page = document.currentScript.dataset;
var base = page.base;
var csrf = wuye.csrf;
(function () {
  var headers = {"X-CSRF-Token": csrf};
  function show(out, ok, text) { out.className = ok ? "card" : "error"; out.textContent = text; }
  async function answer(response, out) {
    var body = await response.json();
    if (response.ok) { show(out, true, body.entries ? body.entries.map(function (e) { return e.serial + "：" + e.message; }).join("；") : "已保存"); return true; }
    var text = body.message;
    if (body.details) text += "：" + body.details.map(function (d) { return "第 " + d.row + " 行 " + d.message; }).join("；");
    show(out, false, text);
    return false;
  }
  var paper = document.getElementById("paper-form");
  if (paper) paper.addEventListener("submit", wuye.once(async function (e) {
    e.preventDefault();
    var choices = {};
    paper.querySelectorAll("[data-motion]").forEach(function (el) { choices[el.dataset.motion] = el.value; });
    var body = {serial: paper.serial.value, scrutineer: paper.scrutineer.value, passphrase: paper.passphrase.value, choices: choices, handed_in: paper.handed_in.value};
    // the scrutineer types their passphrase for every sheet they confirm: it is not kept by the page
    paper.passphrase.value = "";
    var response = await fetch(base + "/paper", {method: "POST", headers: Object.assign({"Content-Type": "application/json"}, headers), body: JSON.stringify(body)});
    if (await answer(response, document.getElementById("paper-result"))) paper.serial.value = "";
  }));
  // a scrutineer's first sign-in to the count: their key is made under the passphrase they set
  var key = document.getElementById("scrutineer-key-form");
  if (key) key.addEventListener("submit", wuye.once(async function (e) {
    e.preventDefault();
    var body = {scrutineer: key.scrutineer.value, passphrase: key.passphrase.value};
    key.passphrase.value = "";
    var response = await fetch(base + "/scrutineer-keys", {method: "POST", headers: Object.assign({"Content-Type": "application/json"}, headers), body: JSON.stringify(body)});
    var out = document.getElementById("scrutineer-key-result");
    var made = await response.json();
    if (response.ok) show(out, true, "已为" + made.name + "登记签名密钥，密钥指纹 " + made.fingerprint + "，请记入计票记录");
    else show(out, false, made.message);
  }));
  // the preliminary result's objections (询异): recorded, then answered once; the page shows the list
  var out = document.getElementById("phase-result");
  var objection = document.getElementById("objection-form");
  if (objection) objection.addEventListener("submit", wuye.once(async function (e) {
    e.preventDefault();
    var body = {received_on: objection.received_on.value, submitted_by: objection.submitted_by.value,
                unit: objection.unit.value, content: objection.content.value};
    var response = await fetch(base + "/objections", {method: "POST", headers: Object.assign({"Content-Type": "application/json"}, headers), body: JSON.stringify(body)});
    if (await answer(response, out)) location.reload();
  }));
  document.querySelectorAll(".answer-form").forEach(function (form) {
    form.addEventListener("submit", wuye.once(async function (e) {
      e.preventDefault();
      var response = await fetch(base + "/objections/" + form.dataset.number + "/answer", {method: "POST", headers: Object.assign({"Content-Type": "application/json"}, headers), body: JSON.stringify({answer: form.answer.value})});
      if (await answer(response, out)) location.reload();
    }));
  });
  var sheet = document.getElementById("sheet-form");
  if (sheet) sheet.addEventListener("submit", wuye.once(async function (e) {
    e.preventDefault();
    var form = new FormData(sheet);
    sheet.passphrase.value = "";
    var response = await fetch(base + "/count-sheet", {method: "POST", headers: headers, body: form});
    if (await answer(response, document.getElementById("sheet-result"))) setTimeout(function () { location.reload(); }, 800);
  }));
})();
