"""What talks to a person: output (tables, JSON, CSV), prompts (the only questionary
import), the session (quiet, no-input) and the interactive flows."""
