"""Every table of every feature, for migrations and tests."""

from socialode.accounts import models as accounts_models
from socialode.circles import models as circles_models
from socialode.conversations import models as conversations_models
from socialode.platform.db import Base

metadata = Base.metadata
FEATURE_MODELS = (accounts_models, circles_models, conversations_models)
