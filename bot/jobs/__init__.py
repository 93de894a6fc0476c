"""What giveback does on its own: the scheduler, the nudge sweep, ask reminders, the digest."""
