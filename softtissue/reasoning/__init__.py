"""The pure clinical reasoning core: knowledge in, frozen answers out; no Django, no I/O clock."""
