"""The giveback command line."""
