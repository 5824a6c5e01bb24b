"""Your people: connections, circles, blocks and mutes."""
