"""The users' questions: contacts, partners, agreements, tasks, lead agencies, people, organizations.

Each answers like ``lienket ask`` (same store method, same order), paged, with sources.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api import views
from api.deps import StoreDep
from api.examples import ok
from api.pagination import Page, PageDep, page_answer, paginate
from api.problems import ProblemError, problem_responses
from api.routes.entities import WHOLE_NEIGHBOURHOOD, EntityId, known
from api.schemas import PersonProfile
from graph.model import (
    AgreementAnswer,
    ContactAnswer,
    LeadAnswer,
    OrgTaskAnswer,
    PartnerAnswer,
    PersonAnswer,
    TaskAnswer,
)
from graph.store import YEARS

router = APIRouter(tags=["questions"])



def text(**extra: object) -> Any:
    """A text query parameter: what a person types, diacritics optional."""
    return Query(min_length=1, max_length=300, **extra)  # type: ignore[arg-type]

ERRORS = problem_responses(422)


@router.get("/contacts", response_model=Page[ContactAnswer], responses={**ok("contacts"), **ERRORS})
def contacts(store: StoreDep, page: PageDep,
             activity: Annotated[str, text(examples=["hoi cho ca phe"])]) -> Response:
    """Contact points (person, title, organization, phone) of the tasks matching the activity."""
    found = store.contacts_page(activity, page.offset, page.limit)
    return page_answer(Page[ContactAnswer](items=found.items, total=found.total, limit=page.limit,
                                           offset=page.offset))


@router.get("/localities/partners", response_model=Page[PartnerAnswer], responses={**ok("partners"), **ERRORS})
def partners(store: StoreDep, page: PageDep,
             locality: Annotated[str, text(examples=["Quận 3"])],
             within: Annotated[bool, Query(description="also the partners of the units inside it")] = False,
             as_of: Annotated[date | None, Query(description="read the name as the unit of that day; "
                                                 "only agreements signed by then")] = None) -> Response:
    """Localities that share an agreement with this one, each with its agreements (newest first).

    A former or a 2025 name also finds the agreements of the units linked to it by the 2025
    reorganisation; each such answer says how in ``link``."""
    return page_answer(paginate(store.partners(locality, within=within, as_of=as_of.isoformat() if as_of else None),
                                page))


@router.get("/agreements/between", response_model=Page[AgreementAnswer],
            responses={**ok("agreements"), **ERRORS})
def agreements_between(store: StoreDep, page: PageDep,
                       party_a: Annotated[str, text(examples=["TP.HCM"])],
                       party_b: Annotated[str, text(examples=["Đắk Nông"])]) -> Page[AgreementAnswer]:
    """Agreements that bind both parties (localities or organizations), newest first."""
    return paginate(store.agreements_between(party_a, party_b), page)


@router.get("/agreements", response_model=Page[AgreementAnswer], responses={**ok("agreements"), **ERRORS})
def agreements(
    store: StoreDep,
    page: PageDep,
    party: Annotated[str | None, text(description="a locality or organization that signed")] = None,
    sector: Annotated[str | None, text(description="a sector the agreement covers")] = None,
    year: Annotated[int | None, Query(ge=YEARS[0], le=YEARS[1], description="a year its date touches")] = None,
) -> Page[AgreementAnswer]:
    """Agreements filtered by party, sector and year (every agreement without filters), newest first."""
    return paginate(store.find_agreements(party=party, sector=sector, year=year), page)


@router.get("/tasks", response_model=Page[TaskAnswer], responses={**ok("tasks"), **ERRORS})
def tasks(
    store: StoreDep,
    page: PageDep,
    lead: Annotated[str | None, text(description="the lead agency")] = None,
    coordinator: Annotated[str | None, text(description="a coordinating agency")] = None,
    sector: Annotated[str | None, text(description="a sector of the task")] = None,
    timeframe: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}){0,2}$", description="ISO: 2024 or 2024-09",
                                           examples=["2024"])] = None,
    place: Annotated[str | None, text(description="where it is held (a province includes its districts)")] = None,
) -> Page[TaskAnswer]:
    """Tasks and events of the plans, filtered by lead, coordinator, sector, timeframe and place."""
    return paginate(store.find_tasks(lead=lead, coordinator=coordinator, sector=sector, timeframe=timeframe,
                                     place=place), page)


@router.get("/tasks/leads", response_model=Page[LeadAnswer], responses={**ok("leads"), **ERRORS})
def leads(store: StoreDep, page: PageDep,
          task: Annotated[str, text(examples=["tap huan nuoi ong"])]) -> Page[LeadAnswer]:
    """Lead agencies of the tasks matching the text, best match first."""
    found = store.lead_page(task, page.offset, page.limit)
    return Page[LeadAnswer](items=found.items, total=found.total, limit=page.limit, offset=page.offset)


@router.get("/people", response_model=Page[PersonAnswer], responses={**ok("people"), **ERRORS})
def people(store: StoreDep, page: PageDep,
           name: Annotated[str, text(examples=["Le Thi Mau"])]) -> Page[PersonAnswer]:
    """Positions of the person the name matches, the most relevant first."""
    return paginate(store.person(name), page)


@router.get("/people/{entity_id}", response_model=PersonProfile,
            responses={**ok("person"), **problem_responses(404, 422)})
def person(store: StoreDep, entity_id: EntityId) -> PersonProfile:
    """A person (by id) with their positions and the tasks they are the contact point for."""
    node = known(store, entity_id)
    if node.kind != "Person":
        raise ProblemError(404, f"{entity_id!r} is a {node.kind}, not a Person")
    return views.person_profile(node, store.neighbourhood(entity_id, depth=1, limit=WHOLE_NEIGHBOURHOOD))


@router.get("/organizations/tasks", response_model=Page[OrgTaskAnswer], responses={**ok("org_tasks"), **ERRORS})
def organization_tasks(store: StoreDep, page: PageDep,
                       organization: Annotated[str, text(examples=["So NN&PTNT Dak Nong"])],
                       coordinating: bool = False) -> Page[OrgTaskAnswer]:
    """Tasks the organization leads (role ``lead``); with ``coordinating`` also those it coordinates
    (role ``coordinate``), leads first."""
    return paginate(store.org_tasks(organization, coordinating), page)
