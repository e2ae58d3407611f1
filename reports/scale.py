"""Benchmark data (``seed_scale``): each province commission's issuing body (the demo's
profiles, so that the annual report can be requested), the library's public page switched
on, and every tenth library model of each finalised round published, with the activity
rows ``library_publish`` would have written. See ``danvan.scale``."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from danvan.models import ActivityLog, Unit, User
from danvan.scale import ScalePlan, bulk
from evaluation.enums import RoundStatus
from evaluation.models import Result
from models_registry.models import Campaign, DvkModel

from . import services
from .demo import PROFILES
from .models import Publication
from .showcase import library_public_page_set

SHARE = 10


def seed(plan: ScalePlan, made: dict) -> dict:
    admin = User.objects.get(pk=made["admin"])
    results = (
        Result.objects.filter(round__status=RoundStatus.FINALISED)
        .filter(recognised=True)
        .order_by("round_id", "rank", "pk")
        .values_list("dvk_model_id", "dvk_model__unit_id", "dvk_model__name")
    )
    chosen = list(results)[::SHARE]
    publications = bulk(
        Publication, [Publication(dvk_model_id=pk, published_by=admin) for pk, _u, _n in chosen]
    )
    content_type = ContentType.objects.get_for_model(DvkModel)
    bulk(
        ActivityLog,
        [
            ActivityLog(
                actor=admin,
                content_type=content_type,
                object_id=pk,
                object_repr=name,  # str(DvkModel), as log_action keeps it
                action="reports.dvkmodel.publish",
                unit_id=unit_id,
            )
            for pk, unit_id, name in chosen
        ],
    )
    organisers = Unit.objects.filter(
        pk__in=Campaign.objects.filter(pk__in=made["campaigns"]).values("organiser_id")
    )
    for organiser in organisers:
        library_public_page_set(unit=organiser, public_page=True, by=admin)
    profiles = 0
    for province in made["provinces"]:
        secretariat = User.objects.get(pk=province["secretariat"])
        for data in PROFILES:
            services.issuer_profile_save(
                data={**data, "unit": Unit.objects.get(pk=province["commission"])},
                by=secretariat,
            )
            profiles += 1
    return {"publications": len(publications), "issuer profiles": profiles}
