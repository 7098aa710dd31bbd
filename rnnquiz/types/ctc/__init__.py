"""The core of the `ctc` type (SPEC 1.12): the forward-backward tables, the loss and its
gradients (tables.py), the decoders (decoders.py) and the working (working.py). Pure
functions of plain values: the type's module validates the file and calls them."""
