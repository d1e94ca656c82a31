"""voting: the owners' assembly vote — electoral register, meetings and motions, per-owner QR ballot
sheets with signed online ballots, paper ballots at the count, sealed record, tally and verification."""
