import sys

from bench.desk.run import main

sys.exit(main())
