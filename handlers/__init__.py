"""Thin Slack listeners, one module per surface. Each module exposes ``register(app, deps)``."""
