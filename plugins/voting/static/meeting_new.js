"use strict";
var page = document.currentScript.dataset;
var motions = document.getElementById("motions");
function addMotion() {
  var node = document.getElementById("motion-template").content.cloneNode(true);
  node.querySelector(".remove").addEventListener("click", function (e) { e.target.closest("fieldset").remove(); });
  motions.appendChild(node);
}
document.getElementById("add-motion").addEventListener("click", addMotion);
addMotion();
function lines(id) { return document.getElementById(id).value.split(/\n/).map(function (s) { return s.trim(); }).filter(Boolean); }
// The input (or the motion's fieldset) a problem's field path names: timetable.meeting_date, motions[2].seats.
function fieldOf(path) {
  if (!path) return null;
  var timetable = /^timetable\.(\w+)$/.exec(path);
  if (timetable) return document.getElementById(timetable[1]);
  var motion = /^motions\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (motion) {
    var set = motions.querySelectorAll("fieldset")[parseInt(motion[1], 10) - 1];
    if (!set) return null;
    return (motion[2] && set.querySelector("[name=m_" + motion[2] + "]")) || set;
  }
  if (/^officials/.test(path)) return document.getElementById("scrutineers");
  return null;
}
document.getElementById("meeting-form").addEventListener("submit", wuye.once(async function (e) {
  e.preventDefault();
  var f = e.target;
  var officials = [];
  lines("scrutineers").forEach(function (n) { officials.push({role: "scrutineer", name: n}); });
  lines("counters").forEach(function (n) { officials.push({role: "counter", name: n}); });
  lines("callers").forEach(function (n) { officials.push({role: "caller", name: n}); });
  var body = {
    title: f.title.value, kind: f.kind.value, location: f.location.value,
    timetable: {notice_date: f.notice_date.value, delivery_deadline: f.delivery_deadline.value, meeting_date: f.meeting_date.value,
                voting_closes: f.voting_closes.value + ":00", count_date: f.count_date.value},
    motions: Array.from(motions.querySelectorAll("fieldset")).map(function (m) {
      var kind = m.querySelector("[name=m_kind]").value;
      var motion = {title: m.querySelector("[name=m_title]").value, matter: m.querySelector("[name=m_matter]").value, kind: kind};
      var scope = m.querySelector("[name=m_scope]").value.split(/[、,，;；\s]+/).filter(Boolean);
      if (scope.length) motion.scope = scope;
      if (kind === "election") {
        motion.seats = parseInt(m.querySelector("[name=m_seats]").value || "0", 10);
        motion.candidates = m.querySelector("[name=m_candidates]").value.split(/[、,，\s]+/).filter(Boolean);
      }
      return motion;
    }),
    officials: officials
  };
  var response = await fetch(page.create,
    {method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": wuye.csrf}, body: JSON.stringify(body)});
  var result = await response.json();
  var out = document.getElementById("result");
  out.textContent = "";
  document.querySelectorAll(".field-error").forEach(function (n) { n.remove(); });
  if (response.ok) {
    location.href = page.console + result.meeting + "/console";
    return;
  }
  out.className = "error";
  var p = document.createElement("p"); p.textContent = result.message; out.appendChild(p);
  var first = null;
  (result.details || []).forEach(function (d) {
    var div = document.createElement("div");
    div.textContent = typeof d === "string" ? d : ((d.label ? d.label + "：" : "") + (d.message || ""));
    out.appendChild(div);
    // the same message beside the field it is about
    var target = fieldOf(d && d.field);
    if (target) {
      var note = document.createElement("p");
      note.className = "error field-error";
      note.setAttribute("role", "alert");
      note.textContent = d.message;
      target.insertAdjacentElement("afterend", note);
      first = first || target;
    }
  });
  (first || out).scrollIntoView({block: "center"});
  if (first && first.focus) first.focus();
}));
