"""create_app(settings): the one place where Socialode is wired together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from socialode import __version__
from socialode.accounts import api as accounts_api
from socialode.accounts import web as accounts_web
from socialode.accounts import web_settings as accounts_settings
from socialode.accounts import web_you as accounts_you
from socialode.boundaries import api as boundaries_api
from socialode.boundaries import web as boundaries_web
from socialode.circles import api as circles_api
from socialode.circles import web as circles_web
from socialode.circles import web_circles as circles_web_circles
from socialode.circles import web_search as circles_web_search
from socialode.circles.actions.invited import register_invite_connections
from socialode.circles.notices import register_notices as register_circles_notices
from socialode.config import Settings
from socialode.conversations import api as conversations_api
from socialode.conversations import web as conversations_web
from socialode.conversations.live import register_live
from socialode.conversations.notices import register_notices as register_conversations_notices
from socialode.gatherings import api as gatherings_api
from socialode.gatherings import jobs as gatherings_jobs
from socialode.gatherings import web as gatherings_web
from socialode.gatherings import web_changes as gatherings_web_changes
from socialode.gatherings.notices import register_notices as register_gatherings_notices
from socialode.moderation import api as moderation_api
from socialode.moderation import jobs as moderation_jobs
from socialode.moderation import web as moderation_web
from socialode.moderation.notices import register_notices as register_moderation_notices
from socialode.moments import api as moments_api
from socialode.moments import api_memories as moments_api_memories
from socialode.moments import jobs as moments_jobs
from socialode.moments import web as moments_web
from socialode.moments import web_memories as moments_web_memories
from socialode.moments import web_person as moments_web_person
from socialode.moments import web_prompts as moments_web_prompts
from socialode.moments.notices import register_notices
from socialode.notifications import api as notifications_api
from socialode.notifications import api_push as notifications_api_push
from socialode.notifications import api_settings as notifications_api_settings
from socialode.notifications import jobs as notifications_jobs
from socialode.notifications import web as notifications_web
from socialode.notifications import web_push as notifications_web_push
from socialode.notifications import web_settings as notifications_web_settings
from socialode.platform import access_log, sealing_jobs
from socialode.platform.help_directory import load_help_directory
from socialode.platform.http import GuardMiddleware
from socialode.platform.services import Services
from socialode.platform.worker import Worker, load_job_modules
from socialode.realtime import gateway
from socialode.safety import api as safety_api
from socialode.safety import marks as safety_marks
from socialode.safety import web as safety_web
from socialode.safety.loading import detector_for
from socialode.safety.privacy import register_privacy as register_safety_privacy
from socialode.safety.scorer import scorer_for
from socialode.web.errors import install_error_handlers
from socialode.web.health import router as health_router
from socialode.web.language import LanguageMiddleware
from socialode.web.pwa import router as pwa_router
from socialode.web.templating import STATIC_DIR, build_templates
from socialode.wellbeing import api as wellbeing_api
from socialode.wellbeing import api_help as wellbeing_api_help
from socialode.wellbeing import jobs as wellbeing_jobs
from socialode.wellbeing import web as wellbeing_web
from socialode.wellbeing import web_help as wellbeing_web_help
from socialode.wellbeing import web_trends as wellbeing_web_trends
from socialode.wellbeing.notices import register_notices as register_wellbeing_notices

# The modules whose job handlers every process runs (the app's and `socialode worker`'s):
# imported here, so a worker never meets a job kind it does not know.
JOB_MODULES = (
    notifications_jobs,
    moments_jobs,
    gatherings_jobs,
    wellbeing_jobs,
    sealing_jobs,
    moderation_jobs,
)


def register_features() -> None:
    """What every process needs before it serves or runs jobs: each feature's notification
    kinds (their resolvers decide what a member may still see), and what sign-up does with
    an invite (circles connects the newcomer with who invited them). Safe to call again."""
    register_circles_notices()
    register_invite_connections()
    register_conversations_notices()
    register_live()
    register_notices()
    register_gatherings_notices()
    register_wellbeing_notices()
    register_safety_privacy()
    register_moderation_notices()


def start_worker(services: Services) -> Worker:
    """The in-process job worker of `socialode serve` (off with SOCIALODE_JOBS_IN_PROCESS=0
    when `socialode worker` processes run the jobs instead)."""
    load_job_modules(services.settings)
    worker = Worker(services)
    worker.start()
    return worker


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or Settings()
    help_directory = load_help_directory(settings.help_resources)  # malformed: refuse to start
    # The abuse detector is read once per process, now rather than on the first send (its
    # model takes about a second to load), and a missing optional package refuses the start.
    detector_for(settings)
    access_log.install()
    services = services or Services.build(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await services.hub.start()
        await scorer_for(services).start()
        worker = start_worker(services) if settings.jobs_in_process else None
        yield
        if worker is not None:
            await worker.close()
        await services.close()

    app = FastAPI(
        title="Socialode API",
        version=__version__,
        description="Everything the web interface does, as JSON. Errors carry a 'detail' "
        "sentence that says what to fix.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = services
    app.state.templates = build_templates()
    app.state.help_directory = help_directory
    app.add_middleware(
        GuardMiddleware, base_url=settings.public_url, max_body=settings.max_upload_bytes + 65536
    )
    app.add_middleware(LanguageMiddleware)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(health_router)
    app.include_router(accounts_api.router)
    pages = [
        Depends(notifications_web.page_marks),
        Depends(circles_web.page_faces),
        Depends(boundaries_web.wind_down_gate),
        Depends(safety_web.page_folds),
    ]
    marks = [Depends(safety_marks.api_reader)]  # JSON that returns texts: whom the mark reaches
    boundaries_web.install_wind_down(app)
    app.include_router(boundaries_api.router)
    app.include_router(boundaries_web.router, dependencies=pages)
    app.include_router(notifications_api_settings.router)
    app.include_router(notifications_web_settings.router, dependencies=pages)
    app.include_router(accounts_web.router, dependencies=pages)
    app.include_router(accounts_settings.router, dependencies=pages)
    app.include_router(accounts_you.router, dependencies=pages)
    app.include_router(circles_api.router)
    app.include_router(circles_web.router, dependencies=pages)
    app.include_router(circles_web_circles.router, dependencies=pages)
    app.include_router(circles_web_search.router, dependencies=pages)
    app.include_router(conversations_api.router, dependencies=marks)
    app.include_router(conversations_web.router, dependencies=pages)
    app.include_router(moments_api_memories.router, dependencies=marks)  # before /moments/{id}
    app.include_router(moments_api.router, dependencies=marks)
    app.include_router(moments_web_memories.router, dependencies=pages)
    app.include_router(moments_web_person.router, dependencies=pages)
    app.include_router(moments_web.router, dependencies=pages)
    app.include_router(moments_web_prompts.router, dependencies=pages)
    app.include_router(notifications_api.router)
    app.include_router(notifications_web.router, dependencies=pages)
    app.include_router(notifications_api_push.router)
    app.include_router(notifications_web_push.router, dependencies=pages)
    app.include_router(gatherings_api.router, dependencies=marks)
    app.include_router(gatherings_web_changes.router, dependencies=pages)  # before /{id}
    app.include_router(gatherings_web.router, dependencies=pages)
    app.include_router(moderation_api.router)
    app.include_router(moderation_web.router, dependencies=pages)
    app.include_router(safety_api.router)
    app.include_router(safety_web.router, dependencies=pages)
    app.include_router(wellbeing_api_help.router)
    app.include_router(wellbeing_web_help.router, dependencies=pages)
    app.include_router(wellbeing_api.router)
    app.include_router(wellbeing_web.router, dependencies=pages)
    app.include_router(wellbeing_web_trends.router, dependencies=pages)
    app.include_router(pwa_router)
    app.include_router(gateway.router)
    register_features()
    return app
