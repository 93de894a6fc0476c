"""Every action_id, callback_id and fixed block_id the bot sends, defined once.

Views put them into Block Kit; handlers register listeners on them; the manifest names the
shortcut callback ids. One definition means a renamed id cannot leave a button without a
listener. Ids that carry an ask (``ask_{id}``) are built by the functions at the end.
"""

from __future__ import annotations

# Asks: the buttons on an ask, wherever it is shown (channel post, DM, Home, nudges, digest).
OFFER = "ask_offer"
RESOLVE = "ask_resolve"
WITHDRAW = "ask_withdraw"
# The give-first reply: post the held ask now (soft policy), or check again (strict); "I can
# help" on an ask it suggests, which also posts the held ask (value: "<that ask>:<held ask>").
ANYWAY = "ask_anyway"
RECHECK = "ask_recheck"
OFFER_AND_POST = "ask_offer_and_post"
RESOLVE_VIEW = "ask_resolve_view"  # the "who helped?" modal
# Asks that close: a named person's "Not this time", the asker's "Keep it open" (check-in) and
# "Still need help" (Home).
DECLINE = "ask_decline"
KEEP_OPEN = "ask_keep_open"
STILL_NEED = "ask_still_need"
# Someone named is busy: shown before the ask is posted.
BUSY_POST = "ask_busy_post"
BUSY_DROP = "ask_busy_drop"
BUSY_SWAP = "ask_busy_swap"
# /thanks of someone who offered on your open ask: resolve it instead, or thank separately.
RESOLVE_INSTEAD = "ask_resolve_instead"
THANK_SEPARATELY = "thanks_separately"

# Thanks: the message shortcut (manifest callback id) and its modal; the Home button and modal.
THANKS_SHORTCUT = "thanks_shortcut"
THANKS_GLOBAL = "thanks_global"  # the global shortcut "Thank someone": Home's form
THANKS_SHORTCUT_VIEW = "thanks_shortcut_view"
THANK_BUTTON = "home_thank"
THANKS_MODAL = "thanks_modal"
THANKS_MODAL_DONE = "thanks_modal_done"

# Home settings toggles; each button carries the state it sets ("on" / "off").
NUDGES_TOGGLE = "home_nudges_toggle"
DETECT_TOGGLE = "home_detect_toggle"
HOME_ACTIONS_BLOCK = "home_actions"

# Forget me, and the offer to log thanks said in plain words.
FORGET_CONFIRM = "forget_confirm"
FORGET_CANCEL = "forget_cancel"
FORGET_BLOCK = "forget"
DETECT_LOG = "detect_log"
DETECT_DISMISS = "detect_dismiss"
DETECT_OPTOUT = "detect_optout"
DETECT_BLOCK = "detect"

# The admins' settings modal: each field's block_id is the setting's name, its input VALUE.
CONFIG_VIEW = "giveback_config"
CONFIG_VALUE = "value"

# Who could help: the button that mentions a suggested person in the asker's ask.
SUGGEST_MENTION = "suggest_mention"
# Tending your network (Home): being suggested or not, leaving a tie out of your view.
SUGGESTABLE_TOGGLE = "home_suggestable_toggle"
HIDE_TIE = "home_hide_tie"
SHOW_TIES = "home_show_ties"
TEND_BLOCK = "home_tend"
HIDDEN_TIES_BLOCK = "home_hidden_ties"

# Inputs shared by the modals that pick people and take a note.
HELPERS_INPUT = "helpers"  # several people (multi_users_select)
HELPER_INPUT = "helper"  # one person (users_select)
NOTE_INPUT = "note"


def ask_block(ask_id: int) -> str:
    """The block showing one ask (its post, a suggestion, a Home line, a nudge line)."""
    return f"ask_{ask_id}"


def held_block(ask_id: int) -> str:
    return f"held_{ask_id}"


def offer_block(ask_id: int, offerer: str) -> str:
    return f"offer_{ask_id}_{offerer}"


def close_loop_block(ask_id: int) -> str:
    return f"close_loop_{ask_id}"


def suggest_block(ask_id: int, user_id: str) -> str:
    return f"suggest_{ask_id}_{user_id}"


def checkin_block(ask_id: int) -> str:
    return f"checkin_{ask_id}"


def your_ask_block(ask_id: int) -> str:
    return f"your_ask_{ask_id}"


def resolve_instead_block(ask_id: int) -> str:
    return f"resolve_instead_{ask_id}"


def busy_block(ask_id: int) -> str:
    return f"busy_{ask_id}"


def offer_and_post_value(ask_id: int, held_id: int) -> str:
    """The give-first reply's "I can help": the ask offered on, and the held ask to post."""
    return f"{ask_id}:{held_id}"


def parse_offer_and_post(value: object) -> tuple[int, int] | None:
    """:func:`offer_and_post_value` read back; None for anything else."""
    first, _, second = str(value or "").partition(":")
    return (int(first), int(second)) if first.isdigit() and second.isdigit() else None
