"""A reply as plain text, for `kiosk ask` without --json."""

from __future__ import annotations

from kiosk.assistant.confidence import ANSWERED, CLARIFY
from kiosk.assistant.dialogue import Reply


def reply_as_text(reply: Reply) -> str:
    """What a person would read for this reply, in a terminal."""
    lines: list[str] = []
    if reply.intent and reply.message:
        # An urgent reply names its articles too: the next step after the first one.
        see = [f"  - {a.title} ({a.id})" for a in reply.answers]
        return "\n".join([reply.message, *(["", *see] if see else [])])
    if reply.suggestion:
        lines.append(f"(did you mean: {reply.suggestion})")
    if reply.status == ANSWERED and reply.top:
        top = reply.top
        lines += [top.title, "", top.summary, "", top.body, "", f"({top.topic_title}, {top.id})"]
        if reply.see_also:  # the buttons under the answer on screen
            lines += ["", "See also:", *(f"  - {title} ({rid})" for rid, title in reply.see_also)]
    elif reply.status == CLARIFY:
        lines.append(
            "Do you mean this?" if len(reply.answers) == 1 else "Which of these do you mean?"
        )
        lines += [f"  - {a.title} ({a.id})" for a in reply.answers]
    else:
        # Off-topic questions carry the kiosk's own reply, in the person's language.
        lines.append(
            reply.message or "I don't know the answer to that. Try other words, or ask an officer."
        )
        if reply.nearest:
            lines += ["These pages may help:", *(f"  - {a.title} ({a.id})" for a in reply.nearest)]
    if reply.check_in:  # may hide a crisis: who to tell, under whatever the reply is
        lines += ["", reply.check_in]
    return "\n".join(lines)
