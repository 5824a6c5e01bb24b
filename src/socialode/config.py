"""One Settings object for the whole app, read from ``SOCIALODE_*`` environment variables."""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOCIALODE_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"), description="Where the database, keys and media live."
    )
    database_url: str | None = Field(default=None, description="Defaults to SQLite in data_dir.")
    redis_url: str | None = None
    secret_key: str | None = Field(default=None, description="Generated into data_dir when unset.")
    base_url: str | None = Field(
        default=None,
        description="The address people use to reach this instance, put in emailed links. "
        "When unset, the one `socialode serve` recorded in data_dir is used.",
    )
    instance_name: str = "Socialode"

    # Mail: a local outbox folder unless an SMTP host is configured.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    mail_from: str = "Socialode <no-reply@localhost>"

    # Invites and accounts.
    invite_ttl_days: int = Field(default=14, ge=1, le=365)
    admin_link_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)
    member_invites: int = Field(default=3, ge=0, le=50)
    reset_ttl_minutes: int = Field(default=60, ge=5, le=24 * 60)
    session_ttl_days: int = Field(default=30, ge=1, le=365)

    # Rate limits, in the notation of the ``limits`` library ("N/period").
    rate_login_account: str = "10/15 minutes"
    rate_login_client: str = "30/15 minutes"
    rate_signup_client: str = "10/hour"
    rate_waitlist_client: str = "10/hour"
    rate_reset_client: str = "10/hour"
    rate_reset_account: str = "3/hour"

    # Password hashing (Argon2id). OWASP's minimum: 19 MiB, t=2, p=1.
    argon2_memory_kib: int = Field(default=19 * 1024, ge=8 * 1024)
    argon2_time_cost: int = Field(default=2, ge=1)
    argon2_parallelism: int = Field(default=1, ge=1)

    max_upload_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)

    # Connections and conversations.
    max_connections: int = Field(
        default=150, ge=1, le=5000, description="Dunbar's number by default."
    )
    request_ttl_days: int = Field(default=30, ge=1, le=365)
    max_circles: int = Field(default=50, ge=1, le=1000)
    group_max_members: int = Field(default=20, ge=2, le=5000)
    message_max_chars: int = Field(default=4000, ge=1, le=100_000)
    rate_connection_requests: str = "30/day"
    rate_messages: str = "120/minute"

    # Moments.
    moment_max_chars: int = Field(default=1000, ge=1, le=100_000)
    moment_edit_minutes: int = Field(default=15, ge=0, le=24 * 60)
    max_supporters: int = Field(default=5, ge=1, le=50)
    rate_moments: str = "60/hour"

    # Safety.
    rate_reports: str = "30/hour"
    abuse_detector: Literal["phrases", "combined", "profanity-check"] = Field(
        default="combined",
        description="What scores words before they are sent: 'combined' (built in: the "
        "phrase rules and a small learned model), 'phrases' (built in: the rules alone) or "
        "'profanity-check' (the rules and a model for broader insults; needs "
        "socialode[moderation]).",
    )
    abuse_scorer: Literal["auto", "process", "inline"] = Field(
        default="auto",
        description="Where texts are scored: 'process' (a scorer process beside each app "
        "process, so scoring runs on another core and does not hold up the event loop; texts "
        "are scored in the app process while it starts or if it fails), 'inline' (in the "
        "app process) or 'auto' (a process when the app may use more than one core).",
    )

    # Wellbeing (answers and notes are encrypted at rest: see ``platform.sealing``).
    help_resources: Path | None = Field(
        default=None,
        description="The operator's own directory of help and crisis lines (a TOML file, "
        "see docs/operators.md); the one shipped with Socialode when unset.",
    )
    sealing_keys: str | None = Field(
        default=None,
        description="Keys for data encrypted at rest, as comma-separated 'id:base64-key' "
        "pairs, the newest last. When unset they live in data_dir/keys/sealing.json, made "
        "on first use.",
    )
    mood_checkins_per_day: int = Field(default=3, ge=1, le=24)
    checkin_note_max_chars: int = Field(default=1000, ge=1, le=20_000)

    # The live stream: frames larger than this close the socket with 1009, and a client
    # more than this many events behind is disconnected (it resumes from its cursor).
    stream_max_frame_bytes: int = Field(default=64 * 1024, ge=1024)
    stream_queue_events: int = Field(default=500, ge=10)

    # Background jobs: run inside `socialode serve` unless separate `socialode worker`
    # processes do it; modules listed here are imported so their @job handlers register.
    jobs_in_process: bool = True
    jobs_modules: list[str] = Field(default_factory=list)
    jobs_batch: int = Field(default=50, ge=1, le=1000)
    jobs_lease_seconds: float = Field(default=60.0, ge=1.0)
    jobs_poll_seconds: float = Field(default=0.5, gt=0.0, le=60.0)

    # Web Push: subscriptions must name an https push service; tests run one on loopback.
    push_allow_local: bool = Field(
        default=False,
        description="Accept http push endpoints on localhost/127.0.0.1 (for tests only).",
    )

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'socialode.db').resolve()}"

    @cached_property
    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once into the data directory."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(key)
        return key

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def address_file(self) -> Path:
        """Where `socialode serve` records the address it serves, for commands that make links."""
        return self.data_dir / "public_url"

    @property
    def public_url(self) -> str | None:
        """The address in links: the setting, else what `serve` recorded; None when unknown."""
        if self.base_url:
            return self.base_url.rstrip("/")
        try:
            recorded = self.address_file.read_text().strip()
        except OSError:
            return None
        return recorded.rstrip("/") or None

    @property
    def serves_https(self) -> bool:
        return (self.public_url or "").startswith("https://")
