import sys

from bench.partners.run import main

sys.exit(main())
