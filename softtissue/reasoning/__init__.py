"""The pure clinical reasoning core: knowledge in, frozen answers out; no Django, no I/O clock."""

from softtissue.reasoning.casefiles import Case, load_case, parse_case
from softtissue.reasoning.cases import Evaluation, check_case, evaluate, evaluation_json
from softtissue.reasoning.contraindications import ContraindicationHit, contraindications
from softtissue.reasoning.differential import Differential, differential
from softtissue.reasoning.errors import CaseError, KnowledgeError
from softtissue.reasoning.facts import ClientFacts, PlanRequest, TherapistFacts, client_findings
from softtissue.reasoning.findings import Findings, validate_findings
from softtissue.reasoning.knowledge import Knowledge, default_knowledge, load_knowledge
from softtissue.reasoning.planning import PlanSuggestion, plan
from softtissue.reasoning.safety import SafetyNet, WarningSigns, safety_nets
from softtissue.reasoning.scope import ScopeDecision, impression_for, may_form_impression, scope
from softtissue.reasoning.summary import check_knowledge, findings_json, knowledge_counts
from softtissue.reasoning.triage import Triage, triage

__all__ = [
    "Case",
    "CaseError",
    "ClientFacts",
    "ContraindicationHit",
    "Differential",
    "Evaluation",
    "Findings",
    "Knowledge",
    "KnowledgeError",
    "PlanRequest",
    "PlanSuggestion",
    "SafetyNet",
    "ScopeDecision",
    "TherapistFacts",
    "Triage",
    "WarningSigns",
    "check_case",
    "check_knowledge",
    "client_findings",
    "contraindications",
    "default_knowledge",
    "differential",
    "evaluate",
    "evaluation_json",
    "findings_json",
    "impression_for",
    "knowledge_counts",
    "load_case",
    "load_knowledge",
    "may_form_impression",
    "parse_case",
    "plan",
    "safety_nets",
    "scope",
    "triage",
    "validate_findings",
]
