"""Parameter counts of a model written as a list of layers, as `model.summary()` prints them
(SPEC 1.7): `layers` counts each layer under a framework's rules, `summary` chains the widths
and totals them, `validate` reads the `model:` list of a problem file."""
