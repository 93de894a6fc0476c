"""Pure rules of giving and asking: records in, decisions out; the standard library only."""
