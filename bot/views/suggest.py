"""Block Kit for "who could help" (after an ask) and "known for" (ledger, Home): pure.

Neither ever shows a note of thanks: a suggestion says only that colleagues thanked someone
for similar help.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.favours import Ask
from bot.domain.suggest import Suggestion
from bot.i18n.catalog import t
from bot.views import ids
from bot.views.blocks import Blocks, button, context, section, with_accessory


def suggestion_blocks(ask: Ask, suggestions: Sequence[Suggestion], lang: str) -> Blocks:
    """Up to three people, each with a button that mentions them in the asker's ask."""
    if not suggestions:
        return []
    blocks: Blocks = [section(t(lang, "suggest.intro"))]
    for person in suggestions:
        key = "suggest.person_two_way" if person.two_way else "suggest.person"
        press = button(
            t(lang, "suggest.mention_button"), ids.SUGGEST_MENTION, f"{ask.id}:{person.user_id}"
        )
        blocks.append(
            with_accessory(
                section(t(lang, key, user=person.user_id)),
                ids.suggest_block(ask.id, person.user_id),
                press,
            )
        )
    return blocks


def known_for_blocks(topics: Sequence[str], lang: str) -> Blocks:
    """What colleagues thank the reader for most; nothing until there is something."""
    if not topics:
        return []
    listed = ("、" if lang == "ja" else ", ").join(topics)
    return [
        section(t(lang, "suggest.known_for", topics=listed)),
        context(t(lang, "suggest.known_for_hint")),
    ]


def parse_mention_value(value: str) -> tuple[int, str] | None:
    """A "Mention in my ask" button's value: (ask id, user id)."""
    ask_id, _, user = (value or "").partition(":")
    return (int(ask_id), user) if ask_id.isdigit() and user else None
