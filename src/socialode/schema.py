"""Every table of every feature, for migrations and tests."""

from socialode.accounts import models as accounts_models
from socialode.boundaries import models as boundaries_models
from socialode.circles import models as circles_models
from socialode.conversations import models as conversations_models
from socialode.gatherings import models as gatherings_models
from socialode.moderation import models as moderation_models
from socialode.moments import models as moments_models
from socialode.notifications import models as notifications_models
from socialode.platform import jobs as jobs_table
from socialode.platform.db import Base
from socialode.safety import models as safety_models
from socialode.wellbeing import models as wellbeing_models

metadata = Base.metadata
PLATFORM_TABLES = (jobs_table.jobs,)
FEATURE_MODELS = (
    accounts_models,
    boundaries_models,
    notifications_models,
    safety_models,
    circles_models,
    conversations_models,
    moments_models,
    gatherings_models,
    wellbeing_models,
    moderation_models,
)
