"""What the public sends about a disclosed list (see docs/glossary.md)."""

from thidua_shared.contracts.codes import Code


class CommentKind(Code):
    COMMENT = "comment"
    COMPLAINT = "complaint"
