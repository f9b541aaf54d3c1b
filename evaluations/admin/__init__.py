"""Admin screens for the evaluation domain, one module per concern (mirrors models/)."""

from evaluations.admin import (  # noqa: F401 - importing registers the ModelAdmins
    imports,
    instruments,
    programmes,
    results,
    reviews,
    rounds,
    scoring,
)
