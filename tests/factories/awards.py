"""Factories for the awards stage. Statuses are reached through the services only."""

import datetime

import factory

from awards.enums import IssuingLevel, Numbering, Occasion
from awards.models import AwardType, Decision
from danvan.enums import UnitKind

from .core import UnitFactory, UserFactory


class AwardTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardType

    name = factory.Sequence(lambda n: f"Giấy khen số {n}")
    short_code = factory.Sequence(lambda n: f"GK{n}")
    issuing_level = IssuingLevel.PROVINCE
    default_amount = 500_000
    is_formal_award = True


class DecisionFactory(factory.django.DjangoModelFactory):
    """A draft decision (no campaigns: pass them with ``campaigns=[...]``)."""

    class Meta:
        model = Decision
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: 1000 + n)
    doc_type = "QĐ"
    issuer_code = "UBND"
    numbering = Numbering.STATE
    date = factory.LazyFunction(datetime.date.today)
    year = factory.LazyAttribute(lambda o: o.date.year)
    issuing_authority = "Ủy ban nhân dân tỉnh Hà Tĩnh"
    issuer = factory.SubFactory(UnitFactory, kind=UnitKind.PROVINCE)
    signer_name = "Nguyễn Văn Hùng"
    signer_title = "Chủ tịch"
    occasion = Occasion.YEAR_END
    created_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..issuer"))

    @factory.post_generation
    def campaigns(self, create, extracted, **kwargs):
        if create and extracted:
            self.campaigns.set(extracted)
