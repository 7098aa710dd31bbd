"""python -m rnnquiz"""

from .fastpath import main

main()
