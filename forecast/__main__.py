import sys

from forecast.cli.main import main

sys.exit(main())
