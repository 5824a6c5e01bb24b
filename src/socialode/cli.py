"""The ``socialode`` command: serve, run jobs, migrate, manage administrators and invites."""

from __future__ import annotations

import asyncio
import getpass
import os
import signal
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
import uvicorn

from socialode import migrate
from socialode.accounts import access, actions
from socialode.app import register_features
from socialode.config import Settings
from socialode.platform.errors import AppError
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
cli.add_typer(db_cli, name="db")
cli.add_typer(admin_cli, name="admin")
cli.add_typer(invites_cli, name="invites")

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
    url = settings.resolved_database_url
    if migrate_first and not migrate.is_up_to_date(url):
        typer.echo("Preparing the database ...")
        migrate.upgrade(url)
    settings.resolved_secret_key  # noqa: B018  (generated once, before workers start)
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


def main() -> None:
    cli()
