"""The voting use cases, one module per aggregate; callers import the module they need
(``from plugins.voting.services.meetings import get_meeting``)."""
