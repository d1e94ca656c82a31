"""housing_check use cases, one module per aggregate (callers import the module they need:
``from plugins.housing_check.services.entrustments import create_entrustment``). No Request objects;
every write — and every read of personal data — is audited (reads in their own transaction, writes in
the write's)."""
