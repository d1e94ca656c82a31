"""An officer revoking a sheet at the moment its owner votes: exactly one of the two wins — never a
stored ballot beside a revocation that said the voter had not voted."""

from __future__ import annotations

import asyncio

from plugins.voting.services.revocation import revoke_sheet
from plugins.voting.tables import VotingBallot, VotingCredential
from tests.plugins.voting.conftest import make_ballot, post, signed


async def test_a_revocation_racing_a_cast_never_lets_both_through(db, client, open_meeting):
    m = open_meeting
    for index, credential in enumerate(m["issued"]):
        seed = m["seeds"][index]
        body = signed(m, seed, make_ballot(m, seed))

        async def revoke(serial: str = credential.serial) -> str:
            try:
                await revoke_sheet(db, m["estate"], m["id"], "officer", serial=serial, reason="遗失")
            except Exception as exc:  # the refusal: voting_revoke_voted
                return str(getattr(exc, "code", exc))
            return "revoked"

        # the cast first in half the rounds, the revocation first in the others
        first, second = (post(client, m, body), revoke()) if index % 2 else (revoke(), post(client, m, body))
        results = await asyncio.gather(first, second)
        cast = next(r for r in results if not isinstance(r, str))
        revoked = next(r for r in results if isinstance(r, str))
        stored = await VotingBallot.exists().where(VotingBallot.voter_no == credential.voter_no)
        active = await VotingCredential.exists().where(
            (VotingCredential.voter_no == credential.voter_no) & VotingCredential.revoked_at.is_null()
        )
        if revoked == "revoked":
            assert cast.status_code == 403 and cast.json()["code"] == "voting_cast_revoked"
            assert not stored and not active
        else:
            assert revoked == "voting_revoke_voted" and cast.status_code == 201
            assert stored and active
