"""housing_check over HTTP: the JSON API (``web.api``) and the officers' console pages (``web.console``)."""
