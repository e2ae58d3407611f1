"""The showcase of exemplary models (thư viện mô hình tiêu biểu): the façade of its reads
and writes (import from ``reports.showcase``, never from a submodule; ``similarity`` is the
"similar models" suggestions' own module)."""

from .paging import LibraryByYear
from .selectors import (
    LibraryEntry,
    attach_awards,
    library_choices,
    library_entry,
    library_entry_model,
    library_list,
    library_localities,
    library_models,
    library_organisers,
    library_photo,
    library_reader,
    public_organiser_ids,
    public_page_open,
)
from .services import (
    ShowcaseError,
    library_public_page_set,
    library_publish,
    library_unpublish,
)

__all__ = [
    "LibraryByYear",
    "LibraryEntry",
    "ShowcaseError",
    "attach_awards",
    "library_choices",
    "library_entry",
    "library_entry_model",
    "library_list",
    "library_localities",
    "library_models",
    "library_organisers",
    "library_photo",
    "library_public_page_set",
    "library_publish",
    "library_reader",
    "library_unpublish",
    "public_organiser_ids",
    "public_page_open",
]
