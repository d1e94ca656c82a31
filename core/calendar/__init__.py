"""Working days: the rules (``workdays``) and the yearly State Council schedules kept in the database
(``store``)."""
