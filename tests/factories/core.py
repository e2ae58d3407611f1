import factory

from danvan.enums import Role, UnitKind
from danvan.models import Unit, User
from danvan.services import user_set_roles


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    kind = UnitKind.COMMUNE
    code = factory.Sequence(lambda n: f"T{n:05d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("matkhau-an-toan-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            user_set_roles(user=self, roles=[Role(r) for r in extracted])
