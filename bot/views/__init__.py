"""Block Kit, pure: records in, (text, blocks) or a view out; every id is in views/ids.py."""
