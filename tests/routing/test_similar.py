"""Similar public reports shown before filing: same category and regency, overlapping words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.complaints.models import Report
from lapor.complaints.models import Status as S
from lapor.routing.similar import similar_reports, words

from ..complaints.flow import walk_to
from ..factories import make_category, make_region_chain

QUERY = "Jalan berlubang besar di depan Pasar Sesetan membahayakan pengendara motor"
# Eight of the query's nine words: a close match.
CLOSE = "Jalan berlubang besar di depan pasar Sesetan membahayakan pengendara"
# Five shared words, three new ones: a looser match.
LOOSE = "Jalan berlubang dekat pasar membuat pengendara motor jatuh"


def filed(world, status=S.DISPOSED, *, text=CLOSE, **submit):
    submit.setdefault("category", world.category)
    submit.setdefault("region", world.bali_village)
    return walk_to(world, status, text=text, **submit)


def search(world, text=QUERY, **kwargs):
    kwargs.setdefault("category", world.category)
    kwargs.setdefault("region", world.bali_village)
    return similar_reports(text=text, **kwargs)


def test_finds_a_public_report_of_the_same_category_and_regency(world):
    # given a disposed report about the same pothole
    report = filed(world)

    # when a citizen types a similar complaint
    found = search(world)

    # then it is offered with a score between 0 and 1
    assert [r.pk for r, _score in found] == [report.pk]
    score = found[0][1]
    assert 0 < score <= 1
    assert score == pytest.approx(8 / 9, abs=0.001)


def test_another_village_of_the_same_regency_counts_as_the_same_place(world):
    other_village = make_region_chain("51.71.02.1002", ("Bali", "Kota Denpasar", "Denpasar Barat", "Pemecutan"))
    report = filed(world, region=other_village)
    assert [r.pk for r, _ in search(world)] == [report.pk]


def test_answered_reports_come_first_even_with_a_lower_score(world):
    # given a close match still being handled and a looser match already answered
    close = filed(world, S.FORWARDED, text=CLOSE)
    answered = filed(world, S.FOLLOWED_UP, text=LOOSE)

    # when searching
    found = search(world)

    # then the answered one leads, though its score is lower
    assert [r.pk for r, _ in found] == [answered.pk, close.pk]
    (_, answered_score), (_, close_score) = found
    assert 0 < answered_score < close_score <= 1


def test_completed_reports_count_as_answered(world):
    close = filed(world, S.DISPOSED, text=CLOSE)
    completed = filed(world, S.COMPLETED, text=LOOSE)
    assert [r.pk for r, _ in search(world)] == [completed.pk, close.pk]


def test_among_unanswered_reports_the_better_match_comes_first(world):
    loose = filed(world, S.DISPOSED, text=LOOSE)
    close = filed(world, S.DISPOSED, text=CLOSE)
    found = search(world)
    assert [r.pk for r, _ in found] == [close.pk, loose.pk]
    assert found[0][1] > found[1][1]


def test_the_limit_keeps_the_best(world):
    reports = [filed(world, text=CLOSE) for _ in range(3)]
    found = search(world, limit=2)
    assert len(found) == 2 and {r.pk for r, _ in found} <= {r.pk for r in reports}


def test_excluded_id_is_left_out(world):
    report = filed(world)
    assert search(world, exclude_id=report.pk) == []


def test_a_confidential_report_is_never_offered(world):
    filed(world, is_confidential=True)
    assert search(world) == []


@pytest.mark.parametrize("status", [S.RECEIVED, S.ON_HOLD, S.ARCHIVED])
def test_reports_not_verified_or_not_public_are_not_offered(world, status):
    filed(world, status)
    assert search(world) == []


def test_reports_of_another_regency_are_not_offered(world):
    # given the same words filed in Mataram (another province) and in Badung (same province, other regency)
    badung = make_region_chain("51.03.01.2001", ("Bali", "Kabupaten Badung", "Kuta", "Kuta"))
    filed(world, region=world.ntb_village)
    filed(world, region=badung)

    # then a search from Denpasar finds neither
    assert search(world) == []


def test_reports_of_another_category_are_not_offered(world):
    filed(world, category=make_category(code="lampu-jalan", name="Lampu jalan"))
    assert search(world) == []


def test_without_category_or_region_every_public_report_is_a_candidate(world):
    report = filed(world, region=world.ntb_village, category=make_category())
    assert [r.pk for r, _ in similar_reports(text=QUERY)] == [report.pk]


def test_reports_older_than_a_year_are_not_offered(world):
    report = filed(world)
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=366))
    assert search(world) == []


def test_unrelated_text_finds_nothing(world):
    filed(world)
    assert search(world, text="Pelayanan pembuatan KTP elektronik di kecamatan sangat lambat") == []


@pytest.mark.parametrize("text", ["", "jalan rusak", "di dan yang ke pada jalan", "ab cd ef gh ij"])
def test_too_short_a_text_returns_nothing(world, text):
    filed(world)
    assert search(world, text=text) == []


def test_words_ignore_case_short_words_and_stopwords():
    assert words("Jalan di DEPAN Pasar yang RUSAK, ok?") == {"jalan", "depan", "pasar", "rusak"}
