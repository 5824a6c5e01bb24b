"""The WebSocket gateway: authenticated live streams that resume from a cursor."""
