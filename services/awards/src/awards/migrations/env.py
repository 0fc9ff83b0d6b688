# Every stage's tables join Base.metadata as their models are imported.
import awards.compile.models
import awards.council.models
import awards.decisions.models
import awards.disclosure.models
import awards.exemplars.models
import awards.history.models
import awards.read_model.models
import awards.voting.models  # noqa: F401
from awards.db import Base
from thidua_shared.platform.migrations import run_env

run_env(Base.metadata)
