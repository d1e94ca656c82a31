(function () {
  var box = document.getElementById("receipt"), out = document.getElementById("result"), proof = document.getElementById("proof");
  var check = document.getElementById("check"), detector = "BarcodeDetector" in window ? new BarcodeDetector({formats: ["qr_code"]}) : null;
  function fromCode(codes) { if (codes.length) { box.value = codes[0].rawValue; check.click(); return true; } return false; }
  document.getElementById("receipt-file").addEventListener("change", function (e) {
    var file = e.target.files[0]; if (!file) return;
    if (!/^image\//.test(file.type)) { file.text().then(function (t) { box.value = t; }); return; }
    if (!detector) { out.className = "error"; out.textContent = "本浏览器不能识别图片中的二维码：请用手机相机扫描回执二维码，或粘贴回执文本。"; return; }
    createImageBitmap(file).then(function (b) { return detector.detect(b); }).then(function (codes) {
      if (!fromCode(codes)) { out.className = "error"; out.textContent = "图片中没有找到回执二维码。"; }
    }).catch(function () { out.className = "error"; out.textContent = "无法读取该图片，请换一张回执图片或粘贴回执文本。"; });
  });
  if (detector && navigator.mediaDevices) {
    var scan = document.getElementById("scan"), video = document.getElementById("camera");
    scan.hidden = false;
    scan.addEventListener("click", async function () {
      var stream;
      try { stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}); }
      catch (e) { out.className = "error"; out.textContent = "无法打开摄像头（未获授权或设备不可用）：请用手机相机扫描回执二维码，或粘贴回执文本。"; return; }
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
    else { try { body = JSON.parse(text); } catch (e) { out.className = "error"; out.textContent = "回执格式不正确：请粘贴完整的回执文本"; return; } }
    var response, data;
    try {
      response = await fetch(location.pathname.replace(/\/$/, "") + "/receipt", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
      data = await response.json();
    } catch (e) { out.className = "error"; out.textContent = "网络错误，暂时无法核验，请稍后重试。"; return; }
    var good = response.ok && data.signature_valid !== false && (!data.sealed || data.included);
    out.className = good ? "ok" : "error";
    out.textContent = data.message;
    out.dataset.included = String(!!data.included);
    if (data.receipt && /#r=/.test(text)) { box.value = JSON.stringify(data.receipt, null, 1); }
    if (data.path) { proof.hidden = false; proof.textContent = "表决票在记录中的位置：" + data.leaf_index + "\n叶哈希：" + data.leaf + "\n网上表决票默克尔根：" + data.ballots_root + "\n路径：" + JSON.stringify(data.path); }
  });
  if (/^#r=/.test(location.hash)) { box.value = location.href; check.click(); }
})();
