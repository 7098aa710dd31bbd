"""python -m rnnquiz"""

from .entry import main

main()
