"""The icon set: simple line drawings of our own on a 24 by 24 grid, inline SVG in the current
text colour. ``{{ icon("chat") }}`` is decorative (hidden from assistive technology, for
an icon beside its label); ``{{ icon("more", "Message actions") }}`` stands alone and is named.
"""

from __future__ import annotations

from markupsafe import Markup

# Each icon is the inside of an <svg viewBox="0 0 24 24">, drawn with strokes only.
DRAWINGS: dict[str, str] = {
    # two people side by side: Your people
    "people": '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c0-3.6 2.9-6.5 6.5-6.5s6.5 2.9'
    ' 6.5 6.5"/><circle cx="17" cy="9" r="2.8"/><path d="M16 13.6c3.3-.4 5.5 2.2 5.5 5.4"/>',
    # a rounded speech bubble: Conversations
    "chat": '<path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5'
    ' 2.5H10l-4.5 4v-4h0A1.5 1.5 0 0 1 4 14.5z"/>',
    # a plus in a rounded square: Share
    "share": '<rect x="3.5" y="3.5" width="17" height="17" rx="5"/><path d="M12 8v8M8 12h8"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    # a bell: Notifications
    "bell": '<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z"/><path d="M10 20.5a2 2 0 0 0 4 0"/>',
    # one person: You
    "you": '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8"/>',
    # three circles overlapping: Circles
    "circles": '<circle cx="9" cy="9" r="5"/><circle cx="15" cy="9" r="5"/>'
    '<circle cx="12" cy="15" r="5"/>',
    # a link between two people: Connections
    "connections": '<circle cx="6" cy="12" r="3"/><circle cx="18" cy="12" r="3"/>'
    '<path d="M9 12h6"/>',
    # an envelope: Invites
    "invite": '<rect x="3" y="5.5" width="18" height="13" rx="2"/><path d="m3.5 7 8.5 6 8.5-6"/>',
    # sliders: Settings
    "settings": '<path d="M4 7h9M17 7h3M4 17h3M11 17h9"/><circle cx="15" cy="7" r="2"/>'
    '<circle cx="9" cy="17" r="2"/>',
    # a shield: Admin
    "shield": '<path d="M12 3 5 6v5c0 4.5 3 8 7 10 4-2 7-5.5 7-10V6z"/>',
    # a door with an arrow: Sign out
    "signout": '<path d="M14 4H6v16h8"/><path d="M11 12h9M17 9l3 3-3 3"/>',
    # a paper plane: Send
    "send": '<path d="M4 12 20 4l-5 16-3.5-6.5z"/><path d="m11.5 13.5 3-3"/>',
    # a photo: mountains in a frame
    "photo": '<rect x="3" y="4.5" width="18" height="15" rx="2.5"/><circle cx="9" cy="10" r="1.8"/>'
    '<path d="m4 18 5.5-5 4 3.5L16.5 14l3.5 3"/>',
    "back": '<path d="M15 5 8 12l7 7"/>',
    "forward": '<path d="m9 5 7 7-7 7"/>',
    "more": '<circle cx="5.5" cy="12" r="1.2"/><circle cx="12" cy="12" r="1.2"/>'
    '<circle cx="18.5" cy="12" r="1.2"/>',
    "close": '<path d="M6 6l12 12M18 6 6 18"/>',
    "check": '<path d="m5 12.5 4.5 4.5L19 7.5"/>',
    "edit": '<path d="M5 19h3.5L19 8.5 15.5 5 5 15.5z"/><path d="m13.5 7 3.5 3.5"/>',
    "trash": '<path d="M4.5 7h15M10 4h4M6.5 7l1 13h9l1-13"/><path d="M10 11v5M14 11v5"/>',
    "reply": '<path d="M9.5 6 4 11.5 9.5 17"/><path d="M4.5 11.5H14a6 6 0 0 1 6 6V19"/>',
    "search": '<circle cx="10.5" cy="10.5" r="6"/><path d="m15 15 5 5"/>',
    "sun": '<circle cx="12" cy="12" r="4"/><path d="M12 2.5v2M12 19.5v2M2.5 12h2M19.5 12h2'
    'M5.3 5.3l1.4 1.4M17.3 17.3l1.4 1.4M5.3 18.7l1.4-1.4M17.3 6.7l1.4-1.4"/>',
    "moon": '<path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z"/>',
    "calendar": '<rect x="3.5" y="5" width="17" height="15.5" rx="2.5"/>'
    '<path d="M3.5 10h17M8 3v4M16 3v4"/>',
    "lock": '<rect x="5" y="10.5" width="14" height="10" rx="2"/>'
    '<path d="M8 10.5V8a4 4 0 0 1 8 0v2.5"/>',
    "device": '<rect x="7" y="2.5" width="10" height="19" rx="2.5"/><path d="M11 18.5h2"/>',
    "quiet": '<path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z"/>'
    '<path d="M16 4h3l-3 3.5h3"/>',
    "heart": '<path d="M12 20s-7.5-4.6-7.5-10A4.3 4.3 0 0 1 12 7.3 4.3 4.3 0 0 1 19.5 10'
    'c0 5.4-7.5 10-7.5 10z"/>',
}


def icon(name: str, label: str | None = None, size: int = 24) -> Markup:
    """An inline SVG icon; named for assistive technology only when ``label`` is given."""
    drawing = DRAWINGS[name]
    if label:
        named = Markup(' role="img" aria-label="{}"').format(label)
    else:
        named = Markup(' aria-hidden="true" focusable="false"')
    return Markup(
        '<svg class="icon icon-{}" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" '
        'stroke-linejoin="round"{}>{}</svg>'
    ).format(name, size, size, named, Markup(drawing))  # noqa: S704 -- our own drawings
