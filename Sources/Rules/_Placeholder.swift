// Rules — see the module's files.
