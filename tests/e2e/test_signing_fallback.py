"""Every phone signs: where the browser has no WebCrypto Ed25519 (WeChat's in-app browser, older
webviews) the ballot page signs with the vendored TweetNaCl, byte for byte as WebCrypto does; and the
whole page, every resource an owner's vote loads included, stays within its 50 KB budget."""

from __future__ import annotations

import json
import re

from core.settings import PROJECT_ROOT
from core.signing import verify
from plugins.voting.protocol.ballot import receipt_message
from tests.e2e.owner import NO_WEBCRYPTO_ED25519, agree_to_everything, demo_meeting, first_sheet_url

PROTOCOL = (PROJECT_ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
BUDGET = 50 * 1024


def vector(label: str) -> str:
    return re.search(rf"^{re.escape(label)}\s+(\S+)$", PROTOCOL, flags=re.MULTILINE).group(1)  # type: ignore[union-attr]


SIGN_BOTH_WAYS = """async ([seedHex, ballotText]) => {
  const seed = Uint8Array.from(seedHex.match(/../g), (h) => parseInt(h, 16));
  const ballot = JSON.parse(ballotText);
  const bytes = wuyeSign.message("wuye-ballot-v1", "MEETING", ballot);
  const out = {canonical: wuyeSign.canonical(ballot)};
  for (const way of ["webcrypto", "purejs", "signer"]) {
    try {
      const signer = await wuyeSign[way](seed);
      const signature = wuyeSign.hex(await signer.sign(bytes));
      out[way] = {kind: signer.kind, key: signer.publicHex, signature: signature};
    } catch (e) { out[way] = {error: String(e)}; }
  }
  return out;
}"""


async def test_both_signers_reproduce_the_protocol_vectors(live_server, browser, tmp_path, wuye_plugins):
    meeting = demo_meeting(tmp_path, wuye_plugins)
    expected = {
        "key": json.loads(vector("ballot (canonical)"))["voter_key"],
        "signature": vector("ballot signature"),
    }
    args = [vector("seed (hex)"), vector("ballot (canonical)")]

    page = await browser.new_page()
    await page.goto(f"{live_server}/v/{meeting}")
    found = await page.evaluate(SIGN_BOTH_WAYS, args)
    assert found["canonical"] == vector("ballot (canonical)")
    assert found["webcrypto"] == {"kind": "webcrypto", **expected}
    assert found["purejs"] == {"kind": "purejs", **expected}
    assert found["signer"]["kind"] == "webcrypto"  # the fallback only where it is needed

    context = await browser.new_context()
    await context.add_init_script(NO_WEBCRYPTO_ED25519)
    crippled = await context.new_page()
    await crippled.goto(f"{live_server}/v/{meeting}")
    found = await crippled.evaluate(SIGN_BOTH_WAYS, args)
    assert "NotSupportedError" in found["webcrypto"]["error"]
    assert found["purejs"] == {"kind": "purejs", **expected}
    assert found["signer"] == {"kind": "purejs", **expected}
    await context.close()


async def test_an_owner_votes_without_webcrypto_ed25519_within_the_page_budget(
    live_server, browser, tmp_path, wuye_plugins
):
    meeting = demo_meeting(tmp_path, wuye_plugins)
    url = first_sheet_url(tmp_path)
    context = await browser.new_context(
        viewport={"width": 375, "height": 667},
        is_mobile=True,
        user_agent="Mozilla/5.0 (Linux; Android 12; V2118A) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/111.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20231202 MicroMessenger/8.0.47",
    )
    await context.add_init_script(NO_WEBCRYPTO_ED25519)
    page = await context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))

    await page.goto(url)
    await page.wait_for_selector("#step-vote:not([hidden])")
    assert await page.is_hidden("#message") or not (await page.inner_text("#message")).strip()
    info = await agree_to_everything(page)
    await page.click("#review")
    await page.click("#submit")
    await page.wait_for_selector("#step-receipt:not([hidden])")
    await page.wait_for_selector("#receipt-image:not([hidden])")
    await page.screenshot(path=str(tmp_path / "receipt-without-webcrypto.png"), full_page=True)

    body = json.loads(await page.text_content("#receipt-text"))
    assert verify(
        bytes.fromhex(info["meeting_key"]),
        bytes.fromhex(body["signature"]),
        receipt_message(meeting, body["receipt"]),
    )
    loaded = {r.url.split("?")[0].rsplit("/", 1)[-1]: r for r in responses}
    assert "nacl-fast.min.js" in loaded  # the fallback signed

    # page weight: every response the vote took, as sent (compressed) on the wire
    sizes = {}
    for response in responses:
        if not response.url.startswith(live_server):
            continue  # the receipt image's blob: URL, made on the phone
        transferred = (await response.request.sizes())["responseBodySize"]
        sizes[response.url.replace(live_server, "")[:60]] = transferred
    total = sum(sizes.values())
    print(f"ballot page without WebCrypto Ed25519: {total} bytes over {len(sizes)} responses: {sizes}")
    assert total <= BUDGET, sizes
    for name in ("sign.js", "ballot.js", "nacl-fast.min.js"):
        assert loaded[name].headers.get("content-encoding") == "gzip", name
    await context.close()
