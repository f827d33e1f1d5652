"""Parts of pages rendered once and kept in this process, each under a key that names every
fact it shows: a change to any of them makes a new key, so nothing has to be invalidated.

What is kept must hold nothing of a person (no name, no token): a page's personal parts go into
slots filled per request.
"""

import threading
from collections import OrderedDict

from flask import current_app
from markupsafe import Markup


class RenderedParts:
    """The last part of each `place`, with the `version` it was rendered for; the least recently
    read dropped beyond `size`. A new version of a place replaces its old one."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, place, version=None):
        with self.lock:
            found = self.entries.get(place)
            if found is None or found[0] != version:
                return None
            self.entries.move_to_end(place)
            return found[1]

    def put(self, place, part, version=None) -> None:
        with self.lock:
            self.entries[place] = (version, part)
            self.entries.move_to_end(place)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def kept(name: str, size: int) -> RenderedParts:
    """This app's own store called `name` (each test's app starts empty)."""
    parts = current_app.extensions.get(name)
    if parts is None:  # the first use since the app started
        parts = current_app.extensions.setdefault(name, RenderedParts(size))
    return parts


def own_html(text: str) -> Markup:
    """HTML our own autoescaping template wrote (every typed text in it escaped), kept as is."""
    return Markup(text)  # noqa: S704 # nosec B704
