"""python -m rnnquiz"""

from .cli import main

main()
