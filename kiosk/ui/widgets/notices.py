"""The notices banner: urgent notices in force today for this unit."""

from __future__ import annotations

from kiosk.content.model import Notice
from kiosk.ui.text import Paragraph


class NoticesBanner(Paragraph):
    """Shows each notice on its own line; hidden when there are none."""

    DEFAULT_CSS = """
    NoticesBanner { background: $warning 30%; color: $text; padding: 0 1; height: auto;
                    max-height: 4; }
    NoticesBanner.-empty { display: none; }
    """

    def __init__(self, notices: list[Notice], lang: str) -> None:
        lines = [f"! {n.texts.get(lang) or next(iter(n.texts.values()))}" for n in notices]
        super().__init__("\n".join(lines))
        self.set_class(not lines, "-empty")
        self.count = len(lines)
