"""Where evaluation results show outside the evaluation pages: a section on the model's
page (registered in ``evaluation.extensions`` through ``danvan.extensions``). The context
function returns None to hide its block."""

from . import selectors


def model_results_section(request, dvk_model) -> dict | None:
    """The model's finalised results the reader may read (``selectors.results_visible_to``:
    the model's unit and the units above it, the secretariat and leaders in scope,
    administrators), each with its rank of N and a link to its feedback; hidden when there
    is none. A reviewer or another unit reading the model sees nothing here. One query."""
    results = selectors.results_of_model(dvk_model=dvk_model, user=request.user)
    if not results:
        return None
    return {"results": results, "dvk_model": dvk_model}
