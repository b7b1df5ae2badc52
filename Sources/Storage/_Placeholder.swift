// Storage — see the module's files.
