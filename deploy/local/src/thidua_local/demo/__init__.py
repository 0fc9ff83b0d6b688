"""The demo: the 2018 movement played end to end through the public HTTP API."""
