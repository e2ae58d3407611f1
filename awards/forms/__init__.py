"""The awards stage's forms, one module per area."""
