"""Bolt and SDK plumbing that decides nothing about help: acking, replies, delivery, OAuth."""
