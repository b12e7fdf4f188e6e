"""`python -m softtissue` runs the command line."""

from softtissue.cli import main

main()
