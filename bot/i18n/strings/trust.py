"""Strings of trust and privacy: requests for another workspace, forgetting, erasing a workspace."""

from __future__ import annotations

EN: dict[str, str] = {
    "workspace.elsewhere": "giveback isn't set up for your workspace. Ask an admin of your workspace to install it there.",
    "reaction.author_unknown": "Slack didn't tell me who wrote that message, so your :{emoji}: wasn't recorded as thanks. Please try again in a moment.",
    "digest.ties_count": "*New two-way ties*\n{count} pairs of colleagues helped each other both ways for the first time this week.",
    "digest.ties_count_one": "*New two-way ties*\nTwo colleagues helped each other both ways for the first time this week.",
    "digest.ties_more": "…and {count} more.",
}

JA: dict[str, str] = {
    "workspace.elsewhere": "giveback はあなたのワークスペースではまだ使えません。ワークスペースの管理者にインストールをお願いしてください。",
    "reaction.author_unknown": "Slack からメッセージの投稿者を確認できなかったため、:{emoji}: を感謝として記録していません。少し時間をおいてもう一度お試しください。",
    "digest.ties_count": "*新しく生まれた双方向のつながり*\n今週は {count} 組の同僚が、はじめてお互いに助け合いました。",
    "digest.ties_count_one": "*新しく生まれた双方向のつながり*\n今週は 1 組の同僚が、はじめてお互いに助け合いました。",
    "digest.ties_more": "ほか {count} 組",
}
