"""The long-lived parts one app instance shares, built once by create_app."""

from __future__ import annotations

from dataclasses import dataclass

from socialode.config import Settings
from socialode.platform.db import Database
from socialode.platform.events import Hub
from socialode.platform.mail import Mailer
from socialode.platform.ratelimit import RateLimits
from socialode.platform.security import Passwords


@dataclass
class Services:
    settings: Settings
    db: Database
    passwords: Passwords
    mailer: Mailer
    limits: RateLimits
    hub: Hub

    @classmethod
    def build(cls, settings: Settings) -> Services:
        return cls(
            settings=settings,
            db=Database(settings.resolved_database_url),
            passwords=Passwords(
                settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism
            ),
            mailer=Mailer(settings),
            limits=RateLimits(settings.redis_url),
            hub=Hub(settings.redis_url),
        )

    async def close(self) -> None:
        await self.hub.close()
        await self.limits.close()
        await self.db.dispose()
