"""Strings of "who could help" and "known for" (bot/views/suggest.py)."""

from __future__ import annotations

EN: dict[str, str] = {
    "suggest.intro": "*Who could help:* colleagues thanked these people for similar help. Mention one in your ask and I'll send it to them.",
    "suggest.person": "<@{user}> · thanked for similar help",
    "suggest.person_two_way": "<@{user}> · thanked for similar help · you've helped each other",
    "suggest.mention_button": "Mention in my ask",
    "suggest.mentioned": "I added <@{user}> to your ask and sent it to them.",
    "suggest.already": "<@{user}> is already in your ask.",
    "suggest.known_for": "*Colleagues thank you most for:* {topics}",
    "suggest.known_for_hint": "From the words colleagues used when they thanked you in channels: strengths worth building on.",
}

JA: dict[str, str] = {
    "suggest.intro": "*お願いできそうな方:* 似たようなことで感謝されている方々です。お願いにメンションすると、その方にお届けします。",
    "suggest.person": "<@{user}> さん · 似たようなことで感謝されています",
    "suggest.person_two_way": "<@{user}> さん · 似たようなことで感謝されています · お互いに助け合っている方です",
    "suggest.mention_button": "お願いにメンションする",
    "suggest.mentioned": "<@{user}> さんをお願いに追加し、お届けしました。",
    "suggest.already": "<@{user}> さんはすでにお願いに含まれています。",
    "suggest.known_for": "*同僚の皆さんがよく感謝していること:* {topics}",
    "suggest.known_for_hint": "チャンネルで感謝が伝えられたときの言葉をもとにしています。これからも伸ばしていける強みです。",
}
