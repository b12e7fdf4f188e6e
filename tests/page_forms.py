"""What a browser would submit from a form on a page: its fields with the values shown."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class FormReader(HTMLParser):
    """Collects the successful controls of the form whose action is `action`."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.values: dict[str, str] = {}
        self.textarea: str | None = None
        self.text: list[str] = []
        self.select: str | None = None
        self.first_option: str | None = None
        self.chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            # "" stands for a form without an action, which posts to its own page.
            self.inside = attr.get("action", "") == self.action
        if not self.inside:
            return
        name = attr.get("name", "")
        if tag == "input" and name:
            kind = attr.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attr:
                    self.values[name] = attr.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                self.values[name] = attr.get("value", "")
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []
        elif tag == "select" and name:
            self.select, self.first_option, self.chosen = name, None, False
        elif tag == "option" and self.select is not None:
            value = attr.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in attr:
                self.values[self.select], self.chosen = value, True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one line break that follows <textarea>.
            self.values[self.textarea] = "".join(self.text).removeprefix("\n")
            self.textarea = None
        elif tag == "select" and self.select is not None:
            if not self.chosen:
                self.values[self.select] = self.first_option or ""
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)


def form_values(response: Any, action: str) -> dict[str, str]:
    """The fields (hidden ones included) a browser would post from the form with this action
    ("" for a form that posts to its own page)."""
    reader = FormReader(action)
    reader.feed(response.content.decode())
    assert reader.values, f"no form posting to {action} on the page"
    return reader.values
