"""What a report holds: results against commitments, member evaluations, members who left."""

from datetime import date
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from thidua_shared.contracts.vocabulary import (
    DISCIPLINES,
    INITIATIVE_LEVELS,
    TASK_RATINGS,
)
from thidua_shared.contracts.vocabulary import Discipline as DisciplineCode
from thidua_shared.platform.validation import (
    CODE_PATTERN,
    RETURNED_ITEM_PATTERN,
    finite,
    labelled,
    nfc,
    one_of,
)

Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=CODE_PATTERN)
]
Text200 = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(nfc),
]
Text2000 = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(nfc)
]
Evidence = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(nfc),
]
TaskRating = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    one_of(TASK_RATINGS, "A task rating"),
    Field(
        description="Task rating (xếp loại): " + labelled(TASK_RATINGS),
        json_schema_extra={"enum": list(TASK_RATINGS)},
    ),
]
Discipline = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    one_of(DISCIPLINES, "A discipline"),
    Field(
        description="Discipline (kỷ luật): " + labelled(DISCIPLINES),
        json_schema_extra={"enum": list(DISCIPLINES)},
    ),
]
InitiativeLevel = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    one_of(INITIATIVE_LEVELS, "A level of recognition"),
    Field(
        description="Level of recognition (cấp công nhận): " + labelled(INITIATIVE_LEVELS),
        json_schema_extra={"enum": list(INITIATIVE_LEVELS)},
    ),
]
Value = Annotated[float, Field(ge=0, le=1e15), AfterValidator(finite)]


class ResultIn(BaseModel):
    """The result against one of the unit's approved commitments; the % is computed, not given."""

    model_config = ConfigDict(extra="forbid")

    commitment_number: int = Field(
        ge=1,
        le=500,
        description="1-based position of the commitment (nội dung đăng ký) in the unit's "
        "approved registration.",
    )
    achieved_value: Value | None = Field(
        default=None, description="The value achieved (kết quả đạt được), in the target's unit."
    )
    narrative: Text2000 = Field(default="", description="How it was achieved (thuyết minh).")
    evidence: list[Evidence] = Field(
        default_factory=list,
        max_length=20,
        description="Evidence references (minh chứng): document numbers or links.",
    )


class InitiativeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    identifier: Code = Field(description="Recognition number, e.g. SK-2018-014 (số công nhận).")
    title: Text200 = Field(description="Initiative or research title (tên sáng kiến, đề tài).")
    level: InitiativeLevel
    year: int = Field(ge=1990, le=2100, description="Year of recognition (năm công nhận).")


class ResearchIn(BaseModel):
    """Accepted research (đề tài khoa học đã nghiệm thu): its own fact beside initiatives."""

    model_config = ConfigDict(extra="forbid")

    identifier: Code = Field(description="The topic's code, e.g. ĐT-2018-03 (mã đề tài).")
    title: Text200 = Field(description="Topic title (tên đề tài).")
    level: InitiativeLevel = Field(description="Level that accepted it (cấp nghiệm thu).")
    accepted_on: date | None = Field(default=None, description="Acceptance date (ngày nghiệm thu).")
    year: int = Field(ge=1990, le=2100, description="Year of acceptance (năm nghiệm thu).")


class MemberEvaluationIn(BaseModel):
    """A member's evaluation in the final review (đánh giá, xếp loại cá nhân).

    Members are those the unit registered. Someone who joined the unit after it registered is
    evaluated with `joined_during_year` and their full name; a registered member who left goes
    in `members_left` instead of being evaluated.
    """

    model_config = ConfigDict(extra="forbid")

    staff_code: Code = Field(description="Staff code (mã cán bộ) as registered.")
    full_name: Text200 | None = Field(
        default=None, description="Required for a member who joined during the year."
    )
    task_rating: TaskRating
    discipline: Discipline = "none"
    discipline_from: date | None = Field(default=None, description="Start of the discipline.")
    discipline_to: date | None = Field(default=None, description="End of the discipline.")
    under_investigation: bool = Field(
        default=False, description="Under investigation or inspection (đang bị xem xét, điều tra)."
    )
    initiatives: list[InitiativeIn] = Field(default_factory=list, max_length=20)
    research: list[ResearchIn] = Field(
        default_factory=list,
        max_length=20,
        description="Accepted research (đề tài khoa học đã nghiệm thu) the member led.",
    )
    counted_leave_days: int = Field(
        default=0, ge=0, le=366, description="Leave counted as work time (e.g. maternity leave)."
    )
    notes: Text2000 = Field(default="", description="Ghi chú.")
    joined_during_year: bool = Field(
        default=False, description="Joined the unit after it registered (mới chuyển đến)."
    )
    joined_on: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.discipline == DisciplineCode.NONE and (self.discipline_from or self.discipline_to):
            raise ValueError("discipline_from/discipline_to are given only with a discipline")
        if self.discipline != DisciplineCode.NONE and self.discipline_from is None:
            raise ValueError("a discipline needs discipline_from, the start of its period")
        if (
            self.discipline_from
            and self.discipline_to
            and self.discipline_to < self.discipline_from
        ):
            raise ValueError("discipline_to is before discipline_from")
        if self.joined_during_year and self.full_name is None:
            raise ValueError("a member who joined during the year needs full_name")
        if self.joined_on is not None and not self.joined_during_year:
            raise ValueError("joined_on is given only with joined_during_year")
        identifiers = [i.identifier for i in self.initiatives]
        if len(set(identifiers)) != len(identifiers):
            raise ValueError("an initiative is listed twice")
        topics = [r.identifier for r in self.research]
        if len(set(topics)) != len(topics) or set(topics) & set(identifiers):
            raise ValueError("a research topic is listed twice or under an initiative's number")
        return self


class MemberLeftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_code: Code = Field(description="Staff code (mã cán bộ) of a registered member.")
    left_on: date | None = Field(default=None, description="When they left (ngày chuyển đi).")
    notes: Text2000 = ""


MAX_MEMBERS = 5000


class ReportContent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=20000),
        AfterValidator(nfc),
    ] = Field(description="Results of the phase (kết quả sơ kết / tổng kết) in the unit's words.")
    self_assessment: TaskRating | None = Field(
        default=None, description="The unit's own rating of its task completion (tự đánh giá)."
    )
    results: list[ResultIn] = Field(
        default_factory=list, max_length=500, description="One per approved commitment."
    )
    member_evaluations: list[MemberEvaluationIn] = Field(
        default_factory=list,
        max_length=MAX_MEMBERS,
        description="Final review (tổng kết) only: one per member.",
    )
    members_left: list[MemberLeftIn] = Field(
        default_factory=list,
        max_length=MAX_MEMBERS,
        description="Final review only: registered members who left during the year.",
    )


class ItemReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            max_length=60,
            pattern=RETURNED_ITEM_PATTERN,
        ),
    ] = Field(description="`commitment:<n>` for a result, `member:<staff code>` for a member.")
    reason: Text200 = Field(description="What to correct (lý do).")


class ResultRead(BaseModel):
    commitment_number: int
    task_number: int
    content: str
    indicator: str
    unit_of_measure: str
    target_value: float | None
    lower_is_better: bool
    achieved_value: float | None
    percent_of_target: float | None = Field(
        description="Computed: achieved/target×100, or target/achieved×100 when lower is better."
    )
    narrative: str
    evidence: list[str]


class InitiativeRead(BaseModel):
    identifier: str
    title: str
    level: str
    year: int


class ResearchRead(BaseModel):
    identifier: str
    title: str
    level: str
    accepted_on: date | None = None
    year: int


class MemberEvaluationRead(BaseModel):
    staff_code: str
    full_name: str
    gender: str | None = None
    title_aimed: str | None = None
    task_rating: str
    discipline: str
    discipline_from: date | None
    discipline_to: date | None
    under_investigation: bool
    initiatives: list[InitiativeRead]
    research: list[ResearchRead] = Field(default_factory=list)
    counted_leave_days: int
    notes: str
    joined_during_year: bool
    joined_on: date | None


class MemberLeftRead(BaseModel):
    staff_code: str
    full_name: str
    left_on: date | None
    notes: str


class ItemReasonRead(BaseModel):
    item: str
    reason: str
