// Experiments — see the module's files.
