"""The market side: market parties, consultations, statements of demand, the tender
calendar's openness and the roadmap to 2030."""

from .consultations import (
    Answer,
    ConsultationQuestion,
    ConsultationResponse,
    ConsultationState,
    MarketConsultation,
    QuestionKind,
    ResponseStatus,
    _answer_file_path,  # the migrations name the upload path at this address
)
from .demand import (
    CalendarEntry,
    Endorsement,
    EndorsementQuerySet,
    Milestone,
    MilestoneStatus,
    Pledge,
    RoadmapTheme,
    StatementOfDemand,
    StatementStatus,
    TenderInterest,
)
from .parties import (
    MarketParty,
    MarketPartyKind,
    MarketPartyMembership,
    MarketPartyQuerySet,
    MarketPartyStatus,
)
from .translations import MarketConsultationTranslation, StatementOfDemandTranslation

__all__ = [
    "MarketConsultationTranslation",
    "StatementOfDemandTranslation",
    "_answer_file_path",
    "MarketPartyKind",
    "MarketPartyStatus",
    "MarketPartyQuerySet",
    "MarketParty",
    "MarketPartyMembership",
    "ConsultationState",
    "MarketConsultation",
    "QuestionKind",
    "ConsultationQuestion",
    "ResponseStatus",
    "ConsultationResponse",
    "Answer",
    "StatementStatus",
    "StatementOfDemand",
    "EndorsementQuerySet",
    "Endorsement",
    "Pledge",
    "CalendarEntry",
    "TenderInterest",
    "RoadmapTheme",
    "MilestoneStatus",
    "Milestone",
]
