"""The reviewer-bias fit is reused while a round's counted sheets are exactly the same, and
refitted as soon as one differs (issue 14: the results page paid for the fit on every view)."""

from unittest import mock

from evaluation import calibration
from evaluation.selectors import aggregation

SHEETS = [(1, 10, 80.0), (1, 11, 84.0), (2, 10, 70.0), (2, 11, 75.0), (3, 11, 90.0)]


def test_same_sheets_are_fitted_once():
    aggregation._FITS.clear()
    with mock.patch.object(calibration, "fit", wraps=calibration.fit) as fit:
        first = aggregation._fit(list(SHEETS))
        again = aggregation._fit(list(SHEETS))

    assert fit.call_count == 1
    assert again is first


def test_a_changed_sheet_is_fitted_again():
    aggregation._FITS.clear()
    first = aggregation._fit(list(SHEETS))
    changed = [*SHEETS[:-1], (3, 11, 60.0)]

    with mock.patch.object(calibration, "fit", wraps=calibration.fit) as fit:
        refitted = aggregation._fit(changed)

    assert fit.call_count == 1
    assert refitted == calibration.fit(changed)
    assert refitted != first


def test_only_a_few_fits_are_kept():
    aggregation._FITS.clear()
    for n in range(aggregation._FITS_KEPT + 3):
        aggregation._fit([(1, 10, float(n)), (1, 11, 50.0)])

    assert len(aggregation._FITS) == aggregation._FITS_KEPT
