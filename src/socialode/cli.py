"""The ``socialode`` command: serve, run jobs, migrate, manage administrators, invites and
the keys of data encrypted at rest."""

from __future__ import annotations

import asyncio
import getpass
import os
import signal
from collections.abc import Awaitable, Callable
from typing import Annotated, NoReturn, TypeVar

import typer
import uvicorn

from socialode import migrate
from socialode.accounts import access, actions
from socialode.app import register_features
from socialode.config import Settings
from socialode.platform import sealing, sealing_jobs
from socialode.platform.errors import AppError
from socialode.platform.help_directory import HelpDirectoryError, load_help_directory
from socialode.platform.mail import MAIL_KIND
from socialode.platform.services import Services
from socialode.platform.worker import Worker, load_job_modules, run_due

cli = typer.Typer(
    help="Socialode: a social platform for fewer, deeper connections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_cli = typer.Typer(help="Administrators.", no_args_is_help=True)
invites_cli = typer.Typer(help="Invites.", no_args_is_help=True)
keys_cli = typer.Typer(help="Keys of data encrypted at rest.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(admin_cli, name="admin")
cli.add_typer(invites_cli, name="invites")
cli.add_typer(keys_cli, name="keys")

T = TypeVar("T")


def _run(work: Callable[[Services], Awaitable[T]]) -> T:
    async def main() -> T:
        services = Services.build(Settings())
        try:
            return await work(services)
        finally:
            await services.close()

    try:
        return asyncio.run(main())
    except AppError as exc:
        typer.secho(exc.message, fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    except sealing.BadKeys as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration that has not run yet."""
    settings = Settings()
    migrate.upgrade(settings.resolved_database_url)
    typer.echo("Database is up to date.")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate")] = True,
) -> None:
    """Serve Socialode (migrating first when the database is new or behind)."""
    if not Settings().base_url:
        # Links in emails and the first-admin link point where this server listens.
        reachable = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
        os.environ["SOCIALODE_BASE_URL"] = f"http://{reachable}:{port}"
        if reachable != host:
            typer.secho(
                "Listening on all addresses: set SOCIALODE_BASE_URL to the address people use,"
                " so emailed links work from other machines.",
                fg=typer.colors.YELLOW,
            )
    settings = Settings()
    try:
        load_help_directory(settings.help_resources)  # before migrating or printing links
    except HelpDirectoryError as exc:
        typer.secho(exc.message, fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    url = settings.resolved_database_url
    if migrate_first and not migrate.is_up_to_date(url):
        typer.echo("Preparing the database ...")
        migrate.upgrade(url)
    settings.resolved_secret_key  # noqa: B018  (generated once, before workers start)
    _run(_load_keys)  # made on first use, refused here when malformed
    _record_address(settings)
    link = _run(_first_admin_link)
    where = f"http://{host}:{port}/"
    typer.secho(f"\nSocialode is running at {where}", fg=typer.colors.GREEN, bold=True)
    typer.echo(f"Links in emails point to {settings.public_url}/")
    if link:
        typer.echo(
            "\nNo administrator exists yet. Open this one-time link to create the first one\n"
            f"(it works once, for {settings.admin_link_ttl_hours} hours):\n\n    {link}\n"
        )
    typer.echo(f"Email goes to {settings.outbox_dir.resolve()} unless SMTP is configured.\n")
    uvicorn.run(
        "socialode.asgi:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
        ws_max_size=settings.stream_max_frame_bytes,  # larger frames: closed with 1009
        # Chat frames are small; per-socket compression state cost 85 KB per idle socket
        # instead of 47 KB, and CPU on every frame (bench/RESULTS.md, idle sockets).
        ws="websockets-sansio",
        ws_per_message_deflate=False,
    )


@cli.command()
def worker(
    batch: Annotated[int, typer.Option(help="Jobs claimed at a time.")] = 0,
) -> None:
    """Run background jobs until stopped (any number of these on PostgreSQL; set
    SOCIALODE_JOBS_IN_PROCESS=0 for the servers then, or keep both)."""
    settings = Settings()
    register_features()
    load_job_modules(settings)

    async def work(svc: Services) -> None:
        runner = Worker(svc, batch=batch or None)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, runner.stop)
        typer.echo(f"Job worker {runner.worker_id} running; Ctrl+C stops it.")
        await runner.run()
        typer.echo("Job worker stopped.")

    _run(work)


async def _send_mail(svc: Services) -> None:
    """Send the mail a command just queued (no server's worker runs in this process).
    Mail that fails stays queued: the server retries it, and says so here."""
    ran = await run_due(svc, kinds=[MAIL_KIND])
    if not ran.failed:
        return
    errors = sorted({error.splitlines()[-1] for _, error in ran.failed})
    typer.secho(
        f"Could not send {len(ran.failed)} email(s) yet: {'; '.join(errors)}\n"
        "They stay queued: a running `socialode serve` (or `socialode worker`) retries them, "
        "and lists those that keep failing on /admin under background jobs that failed.",
        fg=typer.colors.YELLOW,
        err=True,
    )


def _record_address(settings: Settings) -> None:
    """Keep the served address in the data directory, so commands run beside this server
    (`socialode invites create`, ...) make links that lead here."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.address_file.write_text(f"{settings.public_url}\n")


async def _first_admin_link(svc: Services) -> str | None:
    async with svc.db.sessions() as db:
        if await access.admin_exists(db):
            return None
        return await actions.do_create_first_admin_link(svc, db)


@admin_cli.command("create")
def admin_create(
    handle: Annotated[str, typer.Option(prompt=True)],
    email: Annotated[str, typer.Option(prompt=True)],
    display_name: Annotated[str, typer.Option(help="Defaults to the handle.")] = "",
    password: Annotated[str, typer.Option(envvar="SOCIALODE_ADMIN_PASSWORD", hidden=True)] = "",
) -> None:
    """Create an administrator account."""
    secret = password or getpass.getpass("Password (at least 10 characters): ")

    async def work(svc: Services) -> None:
        async with svc.db.sessions() as db:
            user = await actions.check_create_admin(
                svc, db, handle=handle, email=email, display_name=display_name, password=secret
            )
        typer.echo(f"Administrator @{user.handle} created.")

    _run(work)


@admin_cli.command("link")
def admin_link() -> None:
    """Print a one-time link that creates the first administrator."""

    async def work(svc: Services) -> None:
        link = await _first_admin_link(svc)
        typer.echo(link or "An administrator exists already; sign in as them instead.")

    _run(work)


@invites_cli.command("release")
def invites_release(count: int) -> None:
    """Invite the next COUNT people on the waitlist, in signup order."""

    async def work(svc: Services) -> None:
        async with svc.db.sessions() as db:
            released = await actions.do_release_invites(svc, db, count, None)
        await _send_mail(svc)
        typer.echo(f"Released {released} invite(s); each person was emailed a link.")

    _run(work)


@invites_cli.command("create")
def invites_create(
    email: Annotated[str, typer.Option(help="Email the link to them.")] = "",
) -> None:
    """Create a single-use invite link outside the waitlist."""

    async def work(svc: Services) -> None:
        async with svc.db.sessions() as db:
            issued = await actions.do_issue_operator_invite(svc, db, email or None)
        typer.echo(issued.link)
        if email:
            await _send_mail(svc)

    _run(work)


async def _load_keys(svc: Services) -> sealing.Keyring:
    return svc.keyring


def _refuse(message: str) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


async def _reencrypt(svc: Services, now: bool) -> None:
    async with svc.db.sessions() as db:
        await sealing_jobs.start_reencrypt(db)
        await db.commit()
    if not now:
        typer.echo(
            "Re-encryption is queued: a running `socialode serve` (or `socialode worker`) does"
            " it in the background. `socialode keys list` shows how many values each key has"
            " left."
        )
        return
    ran = await run_due(svc, kinds=[sealing_jobs.REENCRYPT])
    if ran.failed:
        _refuse(f"Re-encryption stopped: {ran.failed[-1][1].splitlines()[-1]}; it is retried.")
    ring = svc.keyring
    async with svc.db.sessions() as db:
        found = await sealing_jobs.usage(db, ring)
    left = sum(n for key_id, n in found.by_key.items() if key_id != ring.current) + found.other
    typer.echo(
        f"Re-encryption done: {found.by_key[ring.current]} value(s) use key {ring.current};"
        f" {left} could not be opened and stay as they are."
    )


@keys_cli.command("rotate")
def keys_rotate(
    now: Annotated[bool, typer.Option("--now", help="Re-encrypt here and wait.")] = False,
) -> None:
    """Add a new key that seals from now on, and re-encrypt what older keys sealed."""
    settings = Settings()
    register_features()
    try:
        if settings.sealing_keys:
            sealing.parse_setting(settings.sealing_keys)
            key_id, key = sealing.new_key()
            typer.echo(
                f"Keys come from {sealing.SETTING}. Add this pair at its end (the newest last):"
                f"\n\n    {key_id}:{key}\n\nrestart every process with it, then run "
                "`socialode keys reencrypt`."
            )
            return
        key_id = sealing.add_key(settings)
    except sealing.BadKeys as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Added key {key_id}: it seals from now on.")
    _run(lambda svc: _reencrypt(svc, now))


@keys_cli.command("reencrypt")
def keys_reencrypt(
    now: Annotated[bool, typer.Option("--now", help="Re-encrypt here and wait.")] = False,
) -> None:
    """Re-encrypt every value an older key sealed with the current key."""
    register_features()
    _run(lambda svc: _reencrypt(svc, now))


@keys_cli.command("list")
def keys_list() -> None:
    """Show the keys, which one seals, and how many values still use each."""
    register_features()

    async def work(svc: Services) -> None:
        ring = svc.keyring
        async with svc.db.sessions() as db:
            found = await sealing_jobs.usage(db, ring)
        where = sealing.SETTING if ring.from_settings else sealing.keys_path(svc.settings)
        typer.echo(f"Keys (from {where}), the newest last:")
        for key_id, count in found.by_key.items():
            mark = "current" if key_id == ring.current else ""
            typer.echo(f"  {key_id:<16} {mark:<8} {count} value(s)")
        if found.other:
            typer.echo(f"{found.other} value(s) name no key listed here: they cannot be opened.")

    _run(work)


@keys_cli.command("remove")
def keys_remove(key_id: str) -> None:
    """Remove a key no value needs any more (never the current one)."""
    register_features()

    async def work(svc: Services) -> None:
        ring = svc.reload_keyring()
        if key_id not in ring.keys:
            _refuse(f"There is no key {key_id!r}; `socialode keys list` shows the keys.")
        if key_id == ring.current:
            _refuse(f"Key {key_id} is the current one: it seals new values. Rotate first.")
        async with svc.db.sessions() as db:
            needed = await sealing_jobs.still_needed(db, ring, key_id)
        if needed.opens:
            _refuse(
                f"{needed.opens} value(s) still use key {key_id}: removing it would make them "
                "unreadable. Wait until re-encryption has moved them (`socialode keys list`), "
                "or start it with `socialode keys reencrypt`."
            )
        if needed.unreadable:
            typer.echo(
                f"{needed.unreadable} value(s) name key {key_id} but could not be opened with "
                "it anyway (changed after they were saved); they stay unreadable."
            )
        if ring.from_settings:
            typer.echo(
                f"No value needs key {key_id} any more: take it out of {sealing.SETTING} "
                "and restart every process."
            )
            return
        sealing.drop_key(svc.settings, key_id)
        typer.echo(f"Removed key {key_id}.")

    _run(work)


def main() -> None:
    cli()
