"""Words: the message catalogue in English and Japanese, and dates and numbers as readers expect them."""
