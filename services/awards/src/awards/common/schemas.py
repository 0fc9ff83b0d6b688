"""Input types the APIs of several stages share."""

from typing import Annotated

from pydantic import StringConstraints

from thidua_shared.contracts.vocabulary import TITLES
from thidua_shared.platform.validation import CODE_PATTERN, one_of

Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=CODE_PATTERN)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


TitleCode = Annotated[str, one_of(TITLES, "A title")]
