"""The web layer: the Litestar app (``app``), CSRF and the logged-in actor (``access``), core's routes
(``controllers``), mounting plugin routes behind the guards (``routing``), pages (``pages``), file
downloads (``downloads``) and the HTTP form of errors (``errors``)."""
