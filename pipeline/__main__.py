"""``python -m pipeline``: see :mod:`pipeline.cli`."""

import os
import sys

from pipeline.cli import main

try:
    sys.exit(main())
except BrokenPipeError:
    # the reader went away (``… | head``): not an error of ours, and no traceback
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)
