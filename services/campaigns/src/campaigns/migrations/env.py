import campaigns.directory_models  # noqa: F401  (registers the directory tables on Base)
from campaigns.models import Base
from thidua_shared.platform.migrations import run_env

run_env(Base.metadata)
