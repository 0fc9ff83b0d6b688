"""Who may decide what (thẩm quyền quyết định khen thưởng), per rule set, as data: one file
per regime in `dossier/authority/`, read and checked when the service starts. An agency decides
the titles its own level holds; each other authority receives a dossier (hồ sơ đề nghị)."""

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, ValidationError

from awards.dossier.codes import AgencyLevel, Authority
from thidua_shared.contracts.rule_sets import CATALOGUE
from thidua_shared.contracts.vocabulary import Title

AUTHORITY_DIRECTORY = Path(__file__).parent / "authority"


class TitleAuthority(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    decided_by: Authority
    citation: str
    verified: bool
    note: str = ""


class Funds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    citation: str
    verified: bool
    note: str = ""
    by_authority: dict[Authority, str]


class AuthorityFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    titles: dict[Title, TitleAuthority]
    agency_levels: dict[AgencyLevel, list[Authority]]
    funds: Funds

    def decided_by(self, title: str) -> Authority:
        return self.titles[Title(title)].decided_by

    def own(self, level: AgencyLevel) -> frozenset[Authority]:
        return frozenset(self.agency_levels[level])

    def fund(self, authority: Authority) -> str:
        return self.funds.by_authority[authority]


class AuthorityFileError(ValueError):
    """An authority file the service cannot use, named with the problem."""


def load_authority_file(path: Path) -> AuthorityFile:
    try:
        loaded = AuthorityFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as problem:
        raise AuthorityFileError(f"{path.name}: {problem}") from problem
    problems = _gaps(loaded)
    if loaded.id != path.stem:
        problems.append(f"declares id {loaded.id}; the id is the file name")
    if problems:
        raise AuthorityFileError(f"{path.name}: {'; '.join(problems)}")
    return loaded


def _gaps(loaded: AuthorityFile) -> list[str]:
    missing_titles = [str(title) for title in Title if title not in loaded.titles]
    missing_levels = [str(level) for level in AgencyLevel if level not in loaded.agency_levels]
    deciders = {entry.decided_by for entry in loaded.titles.values()}
    no_fund = [str(a) for a in deciders if a not in loaded.funds.by_authority]
    return [
        f"{what} {', '.join(names)}"
        for what, names in (
            ("no authority for the titles", missing_titles),
            ("no entry for the agency levels", missing_levels),
            ("no fund for the authorities", no_fund),
        )
        if names
    ]


def load_authority_files(directory: Path) -> dict[str, AuthorityFile]:
    """One valid file for each rule set of the catalogue, or an AuthorityFileError."""
    by_id = {
        loaded.id: loaded
        for loaded in (load_authority_file(path) for path in sorted(directory.glob("*.yaml")))
    }
    missing = [str(rule_set_id) for rule_set_id in CATALOGUE if rule_set_id not in by_id]
    if missing:
        raise AuthorityFileError(f"{directory.name}/: no authority file for {', '.join(missing)}")
    return by_id


@cache
def authority_files() -> dict[str, AuthorityFile]:
    return load_authority_files(AUTHORITY_DIRECTORY)


def authority_file(rule_set_id: str) -> AuthorityFile:
    """The regime's file; a campaign without a known rule set is read under the newest."""
    files = authority_files()
    return files.get(rule_set_id) or files[max(files)]


@asynccontextmanager
async def check_authority_files(app: FastAPI) -> AsyncIterator[None]:
    """At start: a missing or bad authority file stops the service with its name."""
    authority_files.cache_clear()
    authority_files()
    yield


@dataclass(frozen=True)
class Split:
    """A list split by who decides: what the agency grants itself, and per higher authority
    what it proposes."""

    own: list[dict[str, Any]]
    proposed: dict[Authority, list[dict[str, Any]]]


def split(items: Iterable[dict[str, Any]], rule_set_id: str, level: AgencyLevel) -> Split:
    regime = authority_file(rule_set_id)
    own_authorities = regime.own(level)
    own: list[dict[str, Any]] = []
    proposed: dict[Authority, list[dict[str, Any]]] = {}
    for item in items:
        decider = regime.decided_by(str(item["title"]))
        if decider in own_authorities:
            own.append(item)
        else:
            proposed.setdefault(decider, []).append(item)
    return Split(own, proposed)
