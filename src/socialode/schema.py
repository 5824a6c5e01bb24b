"""Every table of every feature, for migrations and tests."""

from socialode.accounts import models as accounts_models
from socialode.platform.db import Base

metadata = Base.metadata
FEATURE_MODELS = (accounts_models,)
