from reports.models import Base
from thidua_shared.platform.migrations import run_env

run_env(Base.metadata)
