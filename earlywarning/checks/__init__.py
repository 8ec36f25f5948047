"""The monthly wage check of a project: one module per rule, listed in .registry; .run applies them."""
