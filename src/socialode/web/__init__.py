"""The shared web layer: base layout, static files, error pages and template helpers."""
