"""Notes of thanks and asks with a realistic vocabulary, in English and Japanese.

Each person has a few specialties (topics colleagues thank them for); most notes they receive
are about one of them, the rest about anything. A topic is a subject and an object ("billing
migration", "請求 移行") from lists of workplace words, so a 5M-event workspace holds a few
thousand distinct topics and millions of distinct notes: the search and the index build see
roughly the vocabulary of a real company, not one repeated phrase. Asks are generated from the
same topics, so a benchmark can also tell whether the people suggested hold the specialty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SUBJECTS_EN = """billing payments checkout search mobile web api backend frontend database
postgres kubernetes terraform ci pipeline release deploy staging production monitoring alerting
logging security auth sso vpn laptop onboarding hiring interview payroll expense budget forecast
pricing contract invoice tax legal compliance gdpr marketing campaign newsletter blog seo sales
pipeline crm salesforce customer support ticket escalation design figma ux research analytics
dashboard sql python typescript react ios android docker kafka redis cache cdn dns network
firewall backup incident postmortem roadmap okr planning sprint retro offsite event recruiting
translation localization accessibility performance latency memory""".split()

OBJECTS_EN = """migration outage review rollout setup config dashboard report runbook docs
proposal deck slides spreadsheet query script test bug fix refactor upgrade audit plan estimate
schedule checklist template workshop demo presentation training walkthrough handover cleanup
investigation benchmark prototype design spec diagram integration rotation process renewal
negotiation""".split()

ACTIONS_EN = [
    "for reviewing the {t}",
    "for fixing the {t}",
    "for helping me debug the {t}",
    "for explaining the {t}",
    "for pairing on the {t}",
    "for walking me through the {t}",
    "for setting up the {t}",
    "for taking over the {t} while I was out",
    "for the quick answer about the {t}",
    "for jumping on the {t} so fast",
    "for untangling the {t}",
    "for your notes on the {t}",
    "huge help with the {t}",
    "for covering the {t} on Friday",
    "for sharing your {t} checklist",
]

SUBJECTS_JA = """請求 決済 検索 モバイル ウェブ API バックエンド フロントエンド データベース 本番環境
検証環境 監視 アラート ログ セキュリティ 認証 VPN パソコン 新人研修 採用 面接 給与 経費 予算 見積
価格 契約 請求書 税務 法務 コンプライアンス 個人情報 マーケティング キャンペーン メルマガ 広報 営業
顧客 サポート 問い合わせ デザイン ユーザー調査 分析 ダッシュボード 集計 在庫 物流 出荷 受注 品質
障害 振り返り ロードマップ 目標 計画 スプリント 社内イベント 翻訳 多言語 アクセシビリティ 性能
メモリ ネットワーク バックアップ 経理 総務 人事 広告 展示会""".split()

OBJECTS_JA = """移行 障害対応 レビュー 導入 設定 資料 報告書 手順書 提案書 スライド 表計算 クエリ
スクリプト テスト 不具合 修正 改善 更新 監査 計画 見積もり スケジュール チェックリスト 勉強会
デモ 発表 研修 引き継ぎ 整理 調査 検証 試作 設計 仕様 図 連携 交渉 更改 準備 集計 運用""".split()

ACTIONS_JA = [
    "{t}を手伝っていただきありがとうございました",
    "{t}について丁寧に教えていただき助かりました",
    "{t}を一緒に見てくださり感謝しています",
    "{t}の相談に乗っていただきありがとうございます",
    "急ぎの{t}に対応してくださり本当に助かりました",
    "{t}を引き受けてくださりありがとうございました",
    "{t}のレビューをしていただき感謝です",
    "お休みの間に{t}を進めてくださりありがとうございます",
    "{t}のコツを共有してくださり助かりました",
    "{t}で詰まっていたところを解決していただきました",
]

ASKS_EN = [
    "Can anyone help me with the {t}?",
    "Who knows the {t} well? I'm stuck.",
    "Looking for someone who has done a {t} before",
    "Need a hand with our {t} this week",
]
ASKS_JA = [
    "{t}について詳しい方はいらっしゃいますか？",
    "{t}で困っています。どなたか手伝っていただけませんか",
    "{t}の経験がある方、相談させてください",
]


# Project, product and customer names: made-up words, the long tail of a real vocabulary.
SYLLABLES = [
    (latin, kana)
    for latin, kana in zip(
        "ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me"
        " mo ra ri ru re ro ya yu yo wa ga gi gu ge go za ji zu ze zo da de do ba bi bu be bo pa"
        " pi pu pe po".split(),
        "カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト ナ ニ ヌ ネ ノ ハ ヒ フ ヘ ホ マ ミ ム メ モ ラ リ ル レ"
        " ロ ヤ ユ ヨ ワ ガ ギ グ ゲ ゴ ザ ジ ズ ゼ ゾ ダ デ ド バ ビ ブ ベ ボ パ ピ プ ペ ポ".split(),
        strict=True,
    )
]
NAMES = 3000
NAMED_SHARE = 0.4  # notes that name a project, product or customer
OWN_NAME = 0.6  # of those, the helper's own project


@dataclass(frozen=True)
class Vocabulary:
    """Topics as (subject, object) index pairs, in each language, with how popular each is, and
    made-up project names in both scripts."""

    topics: int
    weights: np.ndarray  # topic popularity (sums to 1): a few topics are very common
    names: tuple[tuple[str, str], ...]  # (Latin, katakana)
    name_weights: np.ndarray

    @classmethod
    def make(cls, rng: np.random.Generator) -> Vocabulary:
        topics = min(len(SUBJECTS_EN) * len(OBJECTS_EN), len(SUBJECTS_JA) * len(OBJECTS_JA))
        weights = 1.0 / np.arange(1, topics + 1) ** 0.9
        rng.shuffle(weights)
        names: dict[str, str] = {}
        while len(names) < NAMES:
            picked = [SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), rng.integers(2, 5))]
            names.setdefault(
                "".join(p[0] for p in picked).capitalize(), "".join(p[1] for p in picked)
            )
        name_weights = 1.0 / np.arange(1, NAMES + 1)
        return cls(
            topics, weights / weights.sum(), tuple(names.items()), name_weights / name_weights.sum()
        )

    def phrase(self, topic: int, japanese: bool, name: int = -1) -> str:
        if japanese:
            subject, obj = divmod(topic, len(OBJECTS_JA))
            text = f"{SUBJECTS_JA[subject % len(SUBJECTS_JA)]}の{OBJECTS_JA[obj]}"
            return f"{self.names[name][1]}の{text}" if name >= 0 else text
        subject, obj = divmod(topic, len(OBJECTS_EN))
        text = f"{SUBJECTS_EN[subject % len(SUBJECTS_EN)]} {OBJECTS_EN[obj]}"
        return f"{self.names[name][0]} {text}" if name >= 0 else text


SPECIALTIES = 3  # topics each person is mostly thanked for
ON_SPECIALTY = 0.7  # the share of a person's notes that are about one of their specialties
JAPANESE_SHARE = 0.3  # people who write in Japanese
EMPTY_SHARE = 0.25  # thanks without a note (most reactions)


def specialties(people: int, vocabulary: Vocabulary, rng: np.random.Generator) -> np.ndarray:
    """Each person's specialties (popular topics are many people's specialty), and in the last
    column their own project."""
    topics = rng.choice(vocabulary.topics, size=(people, SPECIALTIES), p=vocabulary.weights)
    own = rng.choice(NAMES, size=(people, 1), p=vocabulary.name_weights)
    return np.hstack([topics, own])


def writes_japanese(people: int, rng: np.random.Generator) -> np.ndarray:
    return rng.random(people) < JAPANESE_SHARE


def notes(
    thankers: np.ndarray,
    helpers: np.ndarray,
    vocabulary: Vocabulary,
    special: np.ndarray,
    japanese: np.ndarray,
    rng: np.random.Generator,
) -> list[str]:
    """One note per event: about the helper's specialty (or anything), in the thanker's
    language."""
    count = len(thankers)
    on_topic = rng.random(count) < ON_SPECIALTY
    which = rng.integers(0, SPECIALTIES, size=count)
    topics = np.where(
        on_topic,
        special[helpers, which],
        rng.choice(vocabulary.topics, size=count, p=vocabulary.weights),
    )
    named = rng.random(count) < NAMED_SHARE
    names = np.where(
        rng.random(count) < OWN_NAME,
        special[helpers, SPECIALTIES],
        rng.choice(NAMES, size=count, p=vocabulary.name_weights),
    )
    names = np.where(named, names, -1)
    empty = rng.random(count) < EMPTY_SHARE
    ja = japanese[thankers]
    action_en = rng.integers(0, len(ACTIONS_EN), size=count)
    action_ja = rng.integers(0, len(ACTIONS_JA), size=count)
    out = []
    for i in range(count):
        if empty[i]:
            out.append("")
            continue
        phrase = vocabulary.phrase(int(topics[i]), bool(ja[i]), int(names[i]))
        template = ACTIONS_JA[action_ja[i]] if ja[i] else ACTIONS_EN[action_en[i]]
        out.append(template.format(t=phrase))
    return out


def ask(topic: int, japanese: bool, vocabulary: Vocabulary, rng: np.random.Generator) -> str:
    templates = ASKS_JA if japanese else ASKS_EN
    return templates[int(rng.integers(0, len(templates)))].format(
        t=vocabulary.phrase(topic, japanese)
    )
