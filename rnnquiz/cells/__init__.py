"""The math of each cell: forward and backward passes in float64 numpy."""
