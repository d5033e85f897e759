import sys

from ehtool.synthetic import main

sys.exit(main())
