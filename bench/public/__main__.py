import sys

from bench.public.run import main

sys.exit(main())
