"""HTTP for the group_rental plugin: the JSON API (``api``), the console pages (``console``) and
their form parsing (``forms``)."""
