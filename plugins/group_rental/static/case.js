(function () {
  var rooms = document.getElementById("rooms");
  var next = rooms.rows.length;
  document.getElementById("add-room").addEventListener("click", function () {
    var html = document.getElementById("room-template").innerHTML.replace(/__N__/g, String(next++));
    rooms.insertAdjacentHTML("beforeend", html);
  });
  rooms.addEventListener("click", function (event) {
    if (event.target.classList.contains("remove-room")) { event.target.closest("tr").remove(); }
  });
})();
