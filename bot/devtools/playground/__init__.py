"""The playground: the real giveback app against a stand-in Slack, driven from a terminal.

``Playground`` (session.py) starts the app exactly as ``giveback run`` does, on loopback,
pointed at ``bot.devtools.fakeslack.FakeSlack``, and sends what you type as signed Slack requests
through ``bot.devtools.simulate.SignedSender``: the same stand-in the end-to-end tests use.
"""
