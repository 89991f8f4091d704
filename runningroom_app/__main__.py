"""``python -m runningroom_app``: the ``runningroom`` command."""

import sys

from runningroom_app.cli import main

sys.exit(main())
