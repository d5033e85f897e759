"""ehtool: the early help coordinator's command-line toolkit."""

__version__ = "0.1.0"
