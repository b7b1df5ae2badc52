// Scoring — see the module's files.
