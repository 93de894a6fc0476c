"""Every user-facing string, in English and Japanese. ``t(lang, key, **params)`` renders one."""

from __future__ import annotations

import importlib
import pkgutil
import string

from bot.i18n import strings

LANGUAGES = ("en", "ja")


def _load() -> dict[str, dict[str, str]]:
    """Merge every module of ``bot.i18n.strings`` (each defines ``EN`` and ``JA``); keys must not clash."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for info in sorted(pkgutil.iter_modules(strings.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{strings.__name__}.{info.name}")
        for lang, table in (("en", module.EN), ("ja", module.JA)):
            clash = merged[lang].keys() & table.keys()
            if clash:
                raise RuntimeError(
                    f"duplicate message keys in bot.i18n.strings.{info.name}: {sorted(clash)}"
                )
            merged[lang].update(table)
    return merged


CATALOGUE: dict[str, dict[str, str]] = _load()
EN = CATALOGUE["en"]


def language_for(locale: str | None, default: str = "en") -> str:
    """Slack locales look like ``ja-JP``; anything we don't speak falls back to the default."""
    if locale:
        prefix = locale.split("-")[0].lower()
        if prefix in CATALOGUE:
            return prefix
    return default if default in CATALOGUE else "en"


def t(lang: str, key: str, **params: object) -> str:
    """Render ``key`` in ``lang``; a missing key or placeholder is a bug, so it raises."""
    template = CATALOGUE.get(lang, EN).get(key) or EN[key]
    return template.format(**params)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
