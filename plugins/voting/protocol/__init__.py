"""The voting protocol: database-free, web-free rules of the ballot, the sealed record, the tally and
its independent verification (docs/protocol.md)."""
