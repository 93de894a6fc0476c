"""Shipped only because `giveback playground` needs them: the fake Slack, the playground, signed requests."""
