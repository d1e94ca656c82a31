"""Data: engines and transactions (``db``), core's tables (``tables``), helpers for hand-written
migrations (``migrations``), reading CSV/XLSX as Excel saves them (``tabular``) and what every import
shares (``imports``)."""
