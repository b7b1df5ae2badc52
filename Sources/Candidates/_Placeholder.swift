// Candidates — see the module's files.
