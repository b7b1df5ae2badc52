// MiniLM — see the module's files.
