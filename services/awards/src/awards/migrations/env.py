import awards.history
import awards.read_models  # noqa: F401  (their tables join Base.metadata)
from awards.models import Base
from thidua_shared.platform.migrations import run_env

run_env(Base.metadata)
