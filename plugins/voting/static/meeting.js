"use strict";
// The meeting console: publish, print, deliver, open, paper entry, count sheet, seal, revoke.
var page = document.currentScript.dataset;
var base = page.base;
var csrf = wuye.csrf;
async function post(url, body, out, download) {
  var response = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf}, body: JSON.stringify(body || {})});
  if (response.ok && download) {
    var blob = await response.blob();
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = download; document.body.appendChild(a); a.click(); a.remove();
    out.className = "card"; out.textContent = "已生成，请保存文件。";
    return true;
  }
  var result = await response.json();
  out.className = response.ok ? "card" : "error";
  out.textContent = response.ok ? "已保存" : result.message;
  return response.ok;
}
var publish = document.getElementById("publish");
if (publish) publish.addEventListener("click", wuye.once(async function () {
  if (await post(base + "/publish", {}, document.getElementById("publish-result"))) setTimeout(function () { location.reload(); }, 500);
}));
var printAll = document.getElementById("print-all");
if (printAll) printAll.addEventListener("click", wuye.once(async function () {
  await post(base + "/ballots", {reprint_all: page.printed === "true"}, document.getElementById("print-result"), "表决票.docx");
}));
var printOne = document.getElementById("print-one");
if (printOne) printOne.addEventListener("click", wuye.once(async function () {
  var n = parseInt(document.getElementById("reprint-voter").value, 10);
  if (n) await post(base + "/ballots", {voters: [n]}, document.getElementById("print-result"), "补发表决票-" + n + ".docx");
}));
// A form posted as JSON; the page reloads once the server took it.
function postFormThenReload(formId, path, outId) {
  var form = document.getElementById(formId);
  if (!form) return;
  form.addEventListener("submit", wuye.once(async function (e) {
    e.preventDefault();
    var data = Object.fromEntries(new FormData(e.target).entries());
    if (await post(base + path, data, document.getElementById(outId))) setTimeout(function () { location.reload(); }, 500);
  }));
}
postFormThenReload("delivery-form", "/deliveries", "delivery-result");
postFormThenReload("open-form", "/open", "open-result");
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
    var body = {serial: paper.serial.value, scrutineer: paper.scrutineer.value, choices: choices};
    var response = await fetch(base + "/paper", {method: "POST", headers: Object.assign({"Content-Type": "application/json"}, headers), body: JSON.stringify(body)});
    if (await answer(response, document.getElementById("paper-result"))) paper.serial.value = "";
  }));
  var sheet = document.getElementById("sheet-form");
  if (sheet) sheet.addEventListener("submit", wuye.once(async function (e) {
    e.preventDefault();
    var response = await fetch(base + "/count-sheet", {method: "POST", headers: headers, body: new FormData(sheet)});
    if (await answer(response, document.getElementById("sheet-result"))) setTimeout(function () { location.reload(); }, 800);
  }));
  var seal = document.getElementById("seal");
  if (seal) seal.addEventListener("click", wuye.once(async function () {
    if (!confirm("封存后不能再投票或录入纸质表决票，确定封存？")) return;
    var response = await fetch(base + "/seal", {method: "POST", headers: Object.assign({"Content-Type": "application/json"}, headers), body: "{}"});
    var body = await response.json();
    show(document.getElementById("seal-result"), response.ok, response.ok ? "已封存，哈希根：" + body.root : body.message);
    if (response.ok) setTimeout(function () { location.reload(); }, 800);
  }));
  var revoke = document.getElementById("revoke-form");
  if (revoke) revoke.addEventListener("submit", wuye.once(async function (e) {
    e.preventDefault();
    var body = {serial: revoke.serial.value, reason: revoke.reason.value};
    var response = await fetch(base + "/revocations", {method: "POST", headers: Object.assign({"Content-Type": "application/json"}, headers), body: JSON.stringify(body)});
    await answer(response, document.getElementById("revoke-result"));
  }));
})();
