"""One-to-one and small group conversations, persisted and delivered live."""
