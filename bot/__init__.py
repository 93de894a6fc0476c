"""giveback: a Slack bot that logs who helped whom and helps people give before they ask."""
