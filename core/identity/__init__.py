"""Who acts: staff accounts and roles (``staff``), sessions, tokens and grants (``auth``), and the
append-only, hash-chained record of what they did (``audit``)."""
