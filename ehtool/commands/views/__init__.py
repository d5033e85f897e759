"""How records look: terminal renderings, and the explicit projections every
``--json`` prints (:mod:`ehtool.commands.views.projections`)."""
