from .core import UnitFactory, UserFactory

__all__ = ["UnitFactory", "UserFactory"]
