"""Strings of tending your network: ties going quiet, hiding a tie, being suggested or not."""

from __future__ import annotations

EN: dict[str, str] = {
    "tend.quiet_title": "*Ties going quiet:* help went both ways, but not for a while. A small favour keeps a tie before it fades.",
    "tend.quiet_item": "• <@{user}> · last help either way {date}",
    "tend.quiet_item_ask": "• <@{user}> · last help either way {date} · asking for help now:\n{text}",
    "tend.hide_label": "Leave someone out of your network view (only for you):",
    "tend.hide_placeholder": "Pick a colleague",
    "tend.hidden": "{colleagues} left out of your network view.",
    "tend.show_all_button": "Show everyone again",
    "tend.suggest_on": "Suggestions are *on*: when a colleague asks for help with something you were thanked for, I may suggest you.",
    "tend.suggest_off": "Suggestions are *off*: I never suggest you to colleagues who ask for help.",
    "tend.suggest_usage": '`/giveback suggest off` keeps you out of "who could help" suggestions; `/giveback suggest on` brings you back.',
    "tend.suggest_now_on": "You may be suggested again when a colleague asks for help with something you were thanked for.",
    "tend.suggest_now_off": "I won't suggest you to colleagues who ask for help. `/giveback suggest on` undoes it.",
}

JA: dict[str, str] = {
    "tend.quiet_title": "*疎遠になりつつあるつながり:* 助け合ってきた方ですが、しばらくやり取りがありません。ちょっとした手助けで、つながりを保ちましょう。",
    "tend.quiet_item": "• <@{user}> さん · 最後の助け合い {date}",
    "tend.quiet_item_ask": "• <@{user}> さん · 最後の助け合い {date} · 現在助けを求めています:\n{text}",
    "tend.hide_label": "つながりの一覧から外す方を選べます（あなたの表示だけです）:",
    "tend.hide_placeholder": "同僚を選ぶ",
    "tend.hidden": "{colleagues}の同僚をつながりの一覧から外しています。",
    "tend.show_all_button": "すべて表示に戻す",
    "tend.suggest_on": "ご提案: *オン*。あなたが感謝されてきたことについて同僚が助けを求めたとき、あなたをご紹介することがあります。",
    "tend.suggest_off": "ご提案: *オフ*。助けを求める同僚にあなたをご紹介することはありません。",
    "tend.suggest_usage": "`/giveback suggest off` で「お願いできそうな方」のご提案に表示されなくなります。`/giveback suggest on` で元に戻ります。",
    "tend.suggest_now_on": "あなたが感謝されてきたことについて同僚が助けを求めたとき、またご紹介することがあります。",
    "tend.suggest_now_off": "助けを求める同僚にあなたをご紹介することはありません。`/giveback suggest on` で元に戻せます。",
}
