"""What giveback says when it arrives in a channel (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n.catalog import t
from bot.views.blocks import Blocks, context, section

INTRO_EMOJI = 3  # reactions named in the intro: the first few the workspace counts


def channel_intro(lang: str, reaction_emoji: Sequence[str]) -> tuple[str, Blocks]:
    """A few lines, once, in the channel's language: what giveback is for and how to use it."""
    if reaction_emoji:
        emoji = " ".join(f":{name}:" for name in reaction_emoji[:INTRO_EMOJI])
        thanks = t(lang, "channel.intro_thanks", emoji=emoji)
    else:
        thanks = t(lang, "channel.intro_thanks_no_react")
    text = t(lang, "channel.intro")
    return text, [section(text), context(f"{thanks}\n{t(lang, 'channel.intro_more')}")]
