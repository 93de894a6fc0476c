"""The message catalogue, one module per feature, each with ``EN`` and ``JA`` dictionaries.

Every module here is loaded by :mod:`bot.i18n.catalog`; a key defined twice is an error.
"""
