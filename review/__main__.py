"""Allow ``python -m review``."""

from review.cli.main import main

main()
