"""The App Home tab in end-to-end tests: open it as someone, read what it shows them."""

from __future__ import annotations

import json

from tests.conftest import Bot


def home_text(bot: Bot, user: str) -> str:
    return json.dumps(bot.fake.home_tabs[user]["blocks"], ensure_ascii=False)


async def open_home(bot: Bot, user: str) -> None:
    count = len(bot.fake.calls_to("views.publish"))
    await bot.sender.event(
        {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
    )
    await bot.fake.wait_for("views.publish", count + 1)
