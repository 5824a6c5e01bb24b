"""The long-lived parts one app instance shares, built once by create_app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import aiohttp

from socialode.config import Settings
from socialode.platform.db import Database
from socialode.platform.events import Hub
from socialode.platform.mail import Mailer
from socialode.platform.ratelimit import RateLimits
from socialode.platform.sealing import Keyring, KeyringSource, parse_setting
from socialode.platform.security import Passwords


class Closable(Protocol):
    async def close(self) -> None: ...


C = TypeVar("C", bound=Closable)


@dataclass
class Services:
    settings: Settings
    db: Database
    passwords: Passwords
    mailer: Mailer
    limits: RateLimits
    hub: Hub
    parts: dict[str, Closable] = field(default_factory=dict)
    _http: aiohttp.ClientSession | None = None
    _keys: KeyringSource | None = None

    @classmethod
    def build(cls, settings: Settings) -> Services:
        if settings.sealing_keys:
            parse_setting(settings.sealing_keys)  # malformed keys stop the start, not a save
        hub = Hub(settings.redis_url)
        return cls(
            settings=settings,
            db=Database(settings.resolved_database_url, hub),
            passwords=Passwords(
                settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism
            ),
            mailer=Mailer(settings),
            limits=RateLimits(settings.redis_url),
            hub=hub,
        )

    def part(self, name: str, make: Callable[[], C]) -> C:
        """The process-wide part of that name that a feature keeps (a write batcher, the
        abuse scorer), made on first use and closed with the services."""
        found = self.parts.get(name)
        if found is None:
            found = self.parts[name] = make()
        return found  # type: ignore[return-value]

    @property
    def keyring(self) -> Keyring:
        """The keys for sealed values (``platform.sealing``): read on first use, and again
        whenever the keys file changes (a rotation run from the command line)."""
        if self._keys is None:
            self._keys = KeyringSource(self.settings)
        return self._keys.get()

    def reload_keyring(self) -> Keyring:
        """The keys, read again now."""
        self.keyring  # noqa: B018  (makes the source)
        assert self._keys is not None
        return self._keys.reload()

    def keyring_for(self, sealed: str) -> Keyring:
        """The keys, read again first when ``sealed`` names a key this process does not hold
        (another process added it since)."""
        self.keyring  # noqa: B018
        assert self._keys is not None
        return self._keys.knowing(sealed)

    def http(self) -> aiohttp.ClientSession:
        """One HTTP client session per process (push services): its connections are kept and
        reused instead of opening one per message. Closed with the services."""
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None
        for part in self.parts.values():
            await part.close()
        await self.hub.close()
        await self.limits.close()
        await self.db.dispose()
