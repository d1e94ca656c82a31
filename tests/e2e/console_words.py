"""Crawls the staff console of a running server and finds codes shown to people: snake_case
identifiers, audit-log actor labels (``cli:demo``), field paths (``timetable.notice_date``) and the
platform's own codes (profile, plugin, role, status and matter codes) in the text a person reads.

Text inside ``<code>``, ``<script>``, ``<style>`` and a ``<details>`` whose summary begins with
技术 (technical details folded away for the verifier) is not read.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

SKIPPED_TAGS = {"script", "style", "code", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
DOWNLOADS = re.compile(r"\.(docx|xlsx|zip|png|jpe?g|pdf|csv|json|js)$|/attachments/|/photos/|/logout")

SNAKE = re.compile(r"(?<![\w.-])[a-z]+(?:_[a-z0-9]+)+(?![\w-])")
ACTOR = re.compile(r"(?<![\w])(?:cli|staff|demo):[\w:.-]*")
FIELD_PATH = re.compile(r"(?<![\w.])[a-z]+\.[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)*(?![\w])")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._stack: list[tuple[str, bool]] = []
        self._summary: list[str] | None = None
        self._details_pending: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in VOID:
            if not self._skip:
                self.parts.extend(values[a] or "" for a in READ_ATTRIBUTES if values.get(a))
                if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
                    self.parts.append(values["value"] or "")
            return
        skip = tag in SKIPPED_TAGS
        if tag == "details":
            self._details_pending.append(len(self._stack))
        if tag == "summary" and self._details_pending:
            self._summary = []
        self._stack.append((tag, skip))
        if skip:
            self._skip += 1
        if not self._skip:
            self.parts.extend(values[a] or "" for a in READ_ATTRIBUTES if values.get(a))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self._stack:
            name, skip = self._stack.pop()
            if skip:
                self._skip -= 1
            if name == "summary" and self._summary is not None:
                text = "".join(self._summary).strip()
                depth = self._details_pending.pop() if self._details_pending else None
                self._summary = None
                if text.startswith("技术") and depth is not None:
                    # skip the rest of this <details>: mark its stack entry as skipping
                    tag_name, _ = self._stack[depth]
                    self._stack[depth] = (tag_name, True)
                    self._skip += 1
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._summary is not None:
            self._summary.append(data)
        if not self._skip:
            self.parts.append(data)


def read(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return "\n".join(p for p in parser.parts if p.strip()), parser.links


def codes_in(text: str, code_words: set[str]) -> list[str]:
    found = SNAKE.findall(text) + ACTOR.findall(text) + FIELD_PATH.findall(text)
    words = re.findall(r"(?<![\w-])[a-z][a-z0-9-]*(?![\w-])", text)
    found += [w for w in words if w in code_words]
    return sorted(set(found))


def crawl(client: httpx.Client, starts: list[str], limit: int = 200) -> dict[str, str]:
    """Every console page reachable from ``starts`` (same origin, GET, HTML): ``{path: text}``."""
    seen: set[str] = set()
    pages: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(pages) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, headers={"accept": "text/html"})
        if response.status_code != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        text, links = read(response.text)
        pages[path] = text
        for link in links:
            target = urlsplit(urljoin(str(response.url), link))
            if target.netloc and target.netloc != client.base_url.netloc.decode():
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if (
                target.path.startswith(("/d/", "/console"))
                and not DOWNLOADS.search(target.path)
                and "page=" not in target.query
                and "sort=" not in target.query
            ):
                queue.append(local)
    return pages
