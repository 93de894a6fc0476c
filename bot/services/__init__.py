"""Use cases: the store, the domain and Web API look-ups together (slack_sdk yes, Bolt no)."""
