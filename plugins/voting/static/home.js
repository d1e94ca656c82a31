"use strict";
document.querySelectorAll("form.register-upload").forEach(function (form) {
  form.addEventListener("submit", wuye.once(async function (event) {
    event.preventDefault();
    var out = document.getElementById("upload-result");
    var body = new FormData(form);
    var response = await fetch(form.dataset.url, {method: "POST", body: body, headers: {"X-CSRF-Token": wuye.csrf}});
    var result = await response.json();
    out.textContent = "";
    if (response.ok) {
      out.className = "card";
      out.textContent = "已导入 " + result.units + " 户，专有部分面积合计 " + result.area_m2 + " 平方米。";
      setTimeout(function () { location.reload(); }, 800);
    } else {
      out.className = "error";
      var p = document.createElement("p"); p.textContent = result.message; out.appendChild(p);
      (result.details || []).forEach(function (d) {
        var li = document.createElement("div");
        li.textContent = "第 " + d.row + " 行 " + d.column + "：" + d.message;
        out.appendChild(li);
      });
    }
  }));
});
