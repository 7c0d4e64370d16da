"""``python -m bench [--quick|--full]``: see :mod:`bench.run`."""

import sys

from bench.run import main

sys.exit(main())
