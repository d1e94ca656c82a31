(function () {
  var box = document.getElementById("receipt"), out = document.getElementById("result"), proof = document.getElementById("proof");
  var verdicts = document.getElementById("verdicts").content;
  // The answer in plain words: a headline (#verdict), the sentence under it; focus moves there so a
  // screen reader reads it, and the region is live besides. The proof stays folded in #proof.
  function tell(kind, detail) {
    var good = kind === "counted" || kind === "not_counted" || kind === "pending";  // pending: genuine, count to come
    out.className = good ? "ok" : "error"; out.textContent = "";
    var head = document.createElement("p"); head.id = "verdict"; head.className = "headline";
    head.textContent = verdicts.querySelector("[data-case=" + kind + "]").textContent;
    var more = document.createElement("p"); more.textContent = detail || "";
    out.appendChild(head); out.appendChild(more); out.focus();
  }
  function fail(detail) { proof.hidden = true; tell("unchecked", detail); }
  function put(id, text) { document.getElementById(id).textContent = text; }
  var check = document.getElementById("check"), detector = "BarcodeDetector" in window ? new BarcodeDetector({formats: ["qr_code"]}) : null;
  function fromCode(codes) { if (codes.length) { box.value = codes[0].rawValue; check.click(); return true; } return false; }
  document.getElementById("receipt-file").addEventListener("change", function (e) {
    var file = e.target.files[0]; if (!file) return;
    if (!/^image\//.test(file.type)) { file.text().then(function (t) { box.value = t; }); return; }
    if (!detector) { fail("本浏览器不能识别图片中的二维码：请用手机相机扫描回执二维码，或粘贴回执文本。"); return; }
    createImageBitmap(file).then(function (b) { return detector.detect(b); }).then(function (codes) {
      if (!fromCode(codes)) { fail("图片中没有找到回执二维码。"); }
    }).catch(function () { fail("无法读取该图片，请换一张回执图片或粘贴回执文本。"); });
  });
  if (detector && navigator.mediaDevices) {
    var scan = document.getElementById("scan"), video = document.getElementById("camera");
    scan.hidden = false;
    scan.addEventListener("click", async function () {
      var stream;
      try { stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}); }
      catch (e) { fail("无法打开摄像头（未获授权或设备不可用）：请用手机相机扫描回执二维码，或粘贴回执文本。"); return; }
      video.srcObject = stream; video.hidden = false; await video.play();
      var timer = setInterval(async function () {
        if (fromCode(await detector.detect(video))) { clearInterval(timer); stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; }
      }, 300);
    });
  }
  check.addEventListener("click", async function () {
    var text = box.value.trim(), body;
    if (/^[0-9a-fA-F]{64}$/.test(text)) { body = {ballot_hash: text.toLowerCase()}; }
    else if (/#r=/.test(text)) { body = {link: text}; }
    else { try { body = JSON.parse(text); } catch (e) { fail("回执格式不正确：请粘贴完整的回执文本"); return; } }
    var response, data;
    try {
      response = await fetch(location.pathname.replace(/\/$/, "") + "/receipt", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
      data = await response.json();
    } catch (e) { fail("网络错误，暂时无法核验，请稍后重试。"); return; }
    if (!response.ok) { fail(data.message); return; }
    var kind = data.signature_valid === false ? "forged" : !data.sealed ? "pending"
      : !data.included ? "missing" : data.counted === false ? "not_counted" : "counted";
    proof.hidden = !data.path;
    if (data.path) {
      put("proof-index", String(data.leaf_index)); put("proof-leaf", data.leaf);
      put("proof-ballots-root", data.ballots_root); put("proof-root", data.root);
      var steps = document.getElementById("proof-path"); steps.textContent = "";
      if (!data.path.length) { var only = document.createElement("li"); only.textContent = "无（记录中只有这一张网上表决票）"; steps.appendChild(only); }
      data.path.forEach(function (step) {
        var li = document.createElement("li"), code = document.createElement("code");
        code.textContent = (step.side === "left" ? "左 " : "右 ") + step.hash; li.appendChild(code); steps.appendChild(li);
      });
    }
    tell(kind, data.message);
    out.dataset.included = String(!!data.included);
    if (data.receipt && /#r=/.test(text)) { box.value = JSON.stringify(data.receipt, null, 1); }
  });
  if (/^#r=/.test(location.hash)) { box.value = location.href; check.click(); }
})();
