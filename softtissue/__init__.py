"""softtissue: a clinical system for soft tissue therapists."""

__version__ = "0.1.0"
