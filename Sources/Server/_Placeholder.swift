// Server — see the module's files.
