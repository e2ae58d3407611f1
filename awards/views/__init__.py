"""The awards stage's views, one module per area (see ``awards.urls``)."""
