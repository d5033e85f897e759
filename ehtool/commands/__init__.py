"""The command line, one module per noun: a command parses its options, calls one
service, and shows the result through ``commands.views`` or ``term.output``."""
