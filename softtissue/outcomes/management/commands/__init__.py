"""The outcomes commands: `score`."""
