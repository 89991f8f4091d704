"""``python -m runningroom``."""

import sys

from runningroom.cli import main

sys.exit(main())
