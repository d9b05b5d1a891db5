"""The library's presets: smart ids and searches saved under a name."""

from __future__ import annotations

from mixtui.errors import BadInput, NotFound
from mixtui.models import Platform
from mixtui.store.library_tables import LibraryTables
from mixtui.store.models import Preset
from mixtui.store.smart_ids import parse_smart_id
from mixtui.store.tables import PRESETS
from mixtui.text import valid_unicode


class Presets:
    """Presets, one per name (case-blind)."""

    def __init__(self, tables: LibraryTables) -> None:
        self._tables = tables

    def add(
        self,
        name: str,
        *,
        smart_id: str | None = None,
        query: str | None = None,
        platform: Platform | str | None = None,
    ) -> Preset:
        """Save a smart id, or a search (query and optional platform), under ``name`` (replacing one)."""
        name = " ".join(valid_unicode(str(name)).split())
        if not name:
            raise BadInput("a preset needs a name")
        if (smart_id is None) == (query is None):
            raise BadInput("a preset is either a smart id or a search query", hint="give exactly one of them")
        if smart_id is not None:
            smart_id = str(parse_smart_id(smart_id))
            if platform is not None:
                raise BadInput("a platform goes with a search preset, not a smart id")
        cleaned_query = " ".join(valid_unicode(query).split()) if query is not None else None
        if query is not None and not cleaned_query:
            raise BadInput("a search preset needs a query")
        parsed_platform = Platform.parse(platform) if isinstance(platform, str) else platform
        preset = Preset(name=name, smart_id=smart_id, query=cleaned_query, platform=parsed_platform)
        document = preset.model_dump(mode="json")
        with self._tables.writing():
            keys = [
                int(k) for k, d in self._tables.main.raw(PRESETS).items() if d["name"].casefold() == name.casefold()
            ]
            if keys:
                self._tables.main.table(PRESETS).remove(doc_ids=keys)
            self._tables.main.table(PRESETS).insert(document)
        return preset

    def all(self) -> list[Preset]:
        with self._tables.reading():
            return [Preset.model_validate(d) for d in self._tables.main.raw(PRESETS).values()]

    def remove(self, name: str) -> Preset:
        wanted = " ".join(str(name).split()).casefold()
        with self._tables.writing():
            for key, document in self._tables.main.raw(PRESETS).items():
                if document["name"].casefold() == wanted:
                    self._tables.main.table(PRESETS).remove(doc_ids=[int(key)])
                    return Preset.model_validate(document)
        raise NotFound(f"no preset named {name!r}", hint="mixtui preset list shows them")
