"""Client records: identity, contacts, GP, medical history, medications, consent and intake."""
