"""Strings of the core: thanks, what each person did (``ledger.*``), help, errors."""

from __future__ import annotations

EN: dict[str, str] = {
    "thanks.announce": ":raised_hands: <@{giver}> thanked {helpers}: {note}",
    "thanks.announce_no_note": ":raised_hands: <@{giver}> thanked {helpers} for their help",
    "thanks.recorded_private": "Recorded: {helpers} helped you. Thank you for saying so.",
    "thanks.no_person": "Who helped you? Mention them, for example: `/thanks @bob for the review`.",
    "thanks.plain_at": "I couldn't tell who you meant. Type `@` and pick the person from the list so Slack turns it into a mention, for example: `/thanks @bob for the review`.",
    "thanks.self": "Thanking yourself doesn't count here, but it's good that you noticed your own effort. Mention the people who helped you.",
    "thanks.bots": "Bots and apps can't be thanked here ({people}). Mention the people who helped you.",
    "thanks.truncated": "Your note was long, so I kept the first {limit} characters.",
    "thanks.lookup_failed": "Slack didn't answer when I checked who {people} is, so nothing was recorded. Please try again in a moment.",
    "thanks.duplicate": "That thanks was already recorded.",
    "mention.help": "Hi! To log help, write `@giveback thanks @alice for the review`. Type `/giveback help` to see everything I can do.",
    "ledger.title": "Your giveback",
    "ledger.given": "*You lent a hand*\nYou helped {colleagues} in the last {days} days ({recent})",
    "ledger.given_none": "*You lent a hand*\nNot yet. `/giveback asks` shows asks you could help with.",
    "ledger.received": "*Colleagues were there for you*\n{colleagues} helped you in the last {days} days ({recent})",
    "ledger.received_none": "*Colleagues were there for you*\nNobody yet. When someone helps you, `/thanks @them for …` says so.",
    "ledger.since_start": "{total} since you started",
    "ledger.favours": "In the last {days} days you offered to help {offers} and asked for a hand {asks}.",
    "ledger.offers": "In the last {days} days you offered to help {times}.",
    "ledger.asks": "In the last {days} days you asked for a hand {times}.",
    "ledger.person": "• <@{user}> ({times})",
    "ledger.top_helpers": "*Who was there for you most*\n{people}",
    "ledger.top_helped": "*Whom you helped most*\n{people}",
    "ledger.nobody": "nobody yet",
    "ledger.empty": "Nothing recorded yet. When someone helps you, say `/thanks @them for …`: it takes a second and it is how your network becomes visible.",
    "ledger.private": "Only you can see this.",
    "help.title": "What giveback does",
    "help.body": "giveback makes help at work visible: say thanks in a second, ask for a hand, and lend one when you can. Saying thanks credits the helper and costs you nothing.",
    "help.commands": "*Commands*\n"
    "• `/thanks @bob for the review`: log that Bob helped you (several people: `/thanks @bob @carol for …`)\n"
    "• `@giveback thanks @bob for the review`: the same, from a channel message\n"
    "• `/giveback`: what you did: whom you helped and who was there for you (only you see it)\n"
    "• `/giveback help`: this help",
    "help.unknown": "I don't know `{text}`. Here is what I can do:",
    "error.generic": "Something went wrong on my side and nothing was changed. Please try again.",
}

JA: dict[str, str] = {
    "thanks.announce": ":raised_hands: <@{giver}> さんが {helpers} さんにお礼を伝えました: {note}",
    "thanks.announce_no_note": ":raised_hands: <@{giver}> さんが {helpers} さんに、助けていただいたお礼を伝えました",
    "thanks.recorded_private": "記録しました: {helpers} さんに助けていただきました。お礼を伝えてくださりありがとうございます。",
    "thanks.no_person": "どなたに助けていただきましたか？ メンションしてください。例: `/thanks @bob レビューありがとうございます`",
    "thanks.plain_at": "どなたのことか判別できませんでした。`@` を入力して一覧から選び、メンションにしてください。例: `/thanks @bob レビューありがとうございます`",
    "thanks.self": "ご自身への感謝は記録されませんが、ご自身の努力に気づかれたのは素晴らしいことです。助けてくださった方をメンションしてください。",
    "thanks.bots": "ボットやアプリには感謝を記録できません（{people}）。助けてくださった方をメンションしてください。",
    "thanks.truncated": "メモが長かったため、最初の {limit} 文字を記録しました。",
    "thanks.lookup_failed": "{people} さんの確認中に Slack から応答がなかったため、記録していません。少し時間をおいてもう一度お試しください。",
    "thanks.duplicate": "この感謝はすでに記録されています。",
    "mention.help": "こんにちは。助けていただいたことを記録するには `@giveback thanks @alice レビューありがとうございます` のように書いてください。`/giveback help` でできることを一覧できます。",
    "ledger.title": "あなたの giveback",
    "ledger.given": "*あなたが力を貸したこと*\n直近 {days} 日で {colleagues}の同僚を助けました（{recent}）",
    "ledger.given_none": "*あなたが力を貸したこと*\nまだありません。`/giveback asks` で、お手伝いできそうなお願いを確認できます。",
    "ledger.received": "*あなたの力になってくださった方*\n直近 {days} 日で {colleagues}の同僚に助けていただきました（{recent}）",
    "ledger.received_none": "*あなたの力になってくださった方*\nまだいません。助けていただいたら `/thanks @相手 …` で伝えてください。",
    "ledger.since_start": "使い始めてから {total}",
    "ledger.favours": "直近 {days} 日で、{offers}お手伝いを申し出て、{asks}お願いをしました。",
    "ledger.offers": "直近 {days} 日で、{times}お手伝いを申し出ました。",
    "ledger.asks": "直近 {days} 日で、{times}お願いをしました。",
    "ledger.person": "• <@{user}> さん（{times}）",
    "ledger.top_helpers": "*よく力になってくださった方*\n{people}",
    "ledger.top_helped": "*あなたがよく助けた方*\n{people}",
    "ledger.nobody": "まだいません",
    "ledger.empty": "まだ記録がありません。助けていただいたら `/thanks @相手 …` と伝えてみてください。数秒で済み、あなたのつながりが見えるようになります。",
    "ledger.private": "この内容はあなたにだけ表示されています。",
    "help.title": "giveback でできること",
    "help.body": "giveback は職場での助け合いを見えるようにします。感謝はすぐに伝えられ、お願いも、手が空いたときのお手伝いも気軽にできます。感謝を伝えると助けてくださった方の記録になり、あなたには何の負担もありません。",
    "help.commands": "*コマンド*\n"
    "• `/thanks @bob レビューのお礼`: Bob さんに助けていただいたことを記録します（複数の方: `/thanks @bob @carol …`）\n"
    "• `@giveback thanks @bob レビューのお礼`: チャンネルのメッセージから同じことができます\n"
    "• `/giveback`: あなたがしたこと（あなたが助けた方・力になってくださった方。あなたにだけ表示）\n"
    "• `/giveback help`: このヘルプ",
    "help.unknown": "`{text}` は分かりませんでした。できることは次のとおりです:",
    "error.generic": "こちら側で問題が発生したため、何も変更していません。もう一度お試しください。",
}
