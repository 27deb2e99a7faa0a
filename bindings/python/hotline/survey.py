"""Post-call satisfaction surveys: definitions compiled to an IVR flow, deterministic sampling,
scoring with confidence intervals, and the dissatisfaction loop of seed 001 on the escalation
engine (alert, 30-minute explanation, overdue submission to the supervisor on duty, callback,
verdict, yellow card), with the monthly assessment.

    from hotline import escalation, ivr, survey
    d = survey.Definition.load("examples/survey/post-call.json")
    s = ivr.Session(ivr.Tree.compose([d.to_ivr()]), now)       # runs in the IVR engine
    ...
    r = survey.response_from(d, s)
    loop = survey.Loop(engine, survey.Roster.from_json(roster_text), zone)
    alert = loop.on_response(d, r, contact, now)               # when "dissatisfied"
"""

from ._hotline.survey import (  # noqa: F401
    NO_RESPONSE,
    AgentMonth,
    Alert,
    AssessmentWeights,
    Contact,
    Decision,
    Definition,
    GroupBy,
    Loop,
    Proportion,
    Response,
    Roster,
    Sampler,
    Scale,
    Score,
    Verdict,
    YellowCard,
    aggregate,
    assess,
    response_from,
    wilson,
)

__all__ = [
    "NO_RESPONSE",
    "AgentMonth",
    "Alert",
    "AssessmentWeights",
    "Contact",
    "Decision",
    "Definition",
    "GroupBy",
    "Loop",
    "Proportion",
    "Response",
    "Roster",
    "Sampler",
    "Scale",
    "Score",
    "Verdict",
    "YellowCard",
    "aggregate",
    "assess",
    "response_from",
    "wilson",
]
