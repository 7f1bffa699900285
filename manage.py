#!/usr/bin/env python
from msap.__main__ import main

if __name__ == "__main__":
    main()
