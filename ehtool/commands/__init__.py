"""One module per noun. A command parses, calls one domain or store function, renders."""
